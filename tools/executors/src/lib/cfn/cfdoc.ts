// cfdoc (the workspace Python environment's), which renders a CloudFormation template as a
// document: the cfn project's md and html pages, and the guide's CloudFormation chapter.
import { run } from '../core/process';
import { pythonTool } from '../python/venv';

export interface CfdocOptions {
  /** A built-in format (md, html) or a template of `templateDir` (md-mkdocs). */
  format: string;
  /** The name the document gives the template (default: cfdoc's, from the file name). */
  name?: string;
  /** Where cfdoc looks for `<format>.jinja2` templates (its CFDOCPATH). */
  templateDir?: string;
  cwd?: string;
}

/** cfdoc's argv: no colour in its messages, which land in our error lines. */
export function cfdocArgs(template: string, o: CfdocOptions): string[] {
  return ['--no-colour', '--format', o.format, ...(o.name ? ['--name', o.name] : []), template];
}

export type Cfdoc = (template: string, o: CfdocOptions) => Promise<{ stdout: string; stderr: string }>;

/**
 * The workspace's cfdoc, found now (a missing Python environment fails here, naming the target
 * that makes it): it gives the document of one template (stdout) and what cfdoc said (stderr).
 */
export function cfdoc(workspaceRoot: string): Cfdoc {
  const program = pythonTool(workspaceRoot, 'cfdoc');
  return async (template, o) => {
    const { stdout, stderr } = await run(program, cfdocArgs(template, o), {
      cwd: o.cwd,
      env: o.templateDir ? { CFDOCPATH: o.templateDir } : undefined,
      stream: false,
      label: o.name ? `cfdoc ${o.name}` : 'cfdoc',
    });
    return { stdout, stderr };
  };
}
