import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { BuildError } from '../../lib/core/errors';
import { lavaExecutor, projectRoot } from '../../lib/core/executor';
import {
  CHECK_TOOLS,
  checkCommands,
  formatFinding,
  runCheck,
  selectCheckFiles,
  summarise,
  type CheckConfigFiles,
  type Finding,
} from '../../lib/python/lint';
import { pythonTool } from '../../lib/python/venv';
import type { LavaLintExecutorSchema } from './schema';

export default lavaExecutor<LavaLintExecutorSchema>(async (options, context) => {
  const root = context.root;
  const project = relative(root, projectRoot(context));
  const include = options.include ?? [`${project}/**`];
  const selection = selectCheckFiles(root, include, options.exclude ?? []);
  const configRoot = options.configRoot ?? 'packages/lava';
  const config = configFiles(root, configRoot);
  const tools = new Set(options.tools ?? CHECK_TOOLS);
  const commands = checkCommands(selection, config, (program) => pythonTool(root, program)).filter((c) => tools.has(c.tool));
  const counted = `${selection.python.length} Python, ${selection.shell.length} shell, ${selection.yaml.length} YAML files`;
  if (commands.length === 0) {
    console.log(`Checks: nothing to check in ${include.join(', ')}.`);
    return;
  }
  const findings: Finding[] = [];
  // One at a time, in the hook's order (ruff is the fastest, so it speaks first).
  for (const command of commands) findings.push(...(await runCheck(command, root)));
  for (const finding of findings) console.log(formatFinding(finding));
  const errors = findings.filter((f) => f.severity === 'error');
  if (findings.length === 0) {
    console.log(`Checks: ${counted}, no findings (${commands.map((c) => c.tool).join(', ')}).`);
    return;
  }
  if (errors.length && options.failOnFindings !== false) {
    throw new BuildError(`${summarise(findings)} among ${counted}`, {
      fix: `fix them (${configRoot}'s .flake8, pyproject.toml and .yamllint.yaml say what is checked)`,
    });
  }
  console.log(`Checks: ${counted}: ${summarise(findings)}.`);
});

function configFiles(root: string, configRoot: string): CheckConfigFiles {
  const at = (name: string) => (existsSync(join(root, configRoot, name)) ? `${configRoot}/${name}` : undefined);
  const pyproject = at('pyproject.toml');
  const flake8 = at('.flake8');
  return {
    pyproject,
    pyprojectText: pyproject ? readFileSync(join(root, pyproject), 'utf8') : undefined,
    flake8,
    flake8Text: flake8 ? readFileSync(join(root, flake8), 'utf8') : undefined,
    yamllint: at('.yamllint.yaml') ?? at('.yamllint.yml') ?? at('.yamllint'),
  };
}
