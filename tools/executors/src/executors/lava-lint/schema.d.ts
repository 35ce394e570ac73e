export interface LavaLintExecutorSchema {
  include?: string[];
  exclude?: string[];
  configRoot?: string;
  tools?: Array<'ruff' | 'flake8' | 'shellcheck' | 'yamllint'>;
  failOnFindings?: boolean;
}
