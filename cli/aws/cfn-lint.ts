// LintPort over the cfn-lint CLI (Python, installed into the project's .venv by `npm run setup`). Linting is a
// bonus: when cfn-lint is nowhere to be found the port says `available: false` and the step carries on.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { AbortError } from '../engine/errors.ts';
import type { LintFinding, LintPort } from '../steps/ports.ts';

export interface CfnLintOptions {
  /** Defaults to the directory holding hello-deploy's package.json (works from cli/ and from the dist/ bundle). */
  projectRoot?: string;
  env?: NodeJS.ProcessEnv;
  /** Regions to check resource types against (cfn-lint's default is us-east-1). */
  regions?: string[];
}

interface RawFinding {
  Filename?: string | null;
  Level?: string;
  Message?: string;
  Rule?: { Id?: string };
  Location?: { Start?: { LineNumber?: number; ColumnNumber?: number }; Path?: Array<string | number> | null };
}

function findProjectRoot(from: string): string | undefined {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

function onPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** HELLO_DEPLOY_CFN_LINT, then <project>/.venv/bin/cfn-lint, then PATH. */
export function locateCfnLint(opts: CfnLintOptions = {}): string | undefined {
  const env = opts.env ?? process.env;
  const explicit = env.HELLO_DEPLOY_CFN_LINT;
  if (explicit) return existsSync(explicit) ? explicit : undefined;
  const root = opts.projectRoot ?? findProjectRoot(import.meta.dirname);
  if (root) {
    const venv = path.join(root, '.venv', 'bin', 'cfn-lint');
    if (existsSync(venv)) return venv;
  }
  return onPath('cfn-lint', env);
}

function levelOf(raw: RawFinding): LintFinding['level'] {
  const letter = raw.Rule?.Id?.[0]?.toUpperCase();
  if (letter === 'E') return 'error';
  if (letter === 'W') return 'warning';
  if (letter === 'I') return 'informational';
  const level = (raw.Level ?? '').toLowerCase();
  return level === 'warning' ? 'warning' : level.startsWith('info') ? 'informational' : 'error';
}

function locationOf(raw: RawFinding, templatePath: string): string {
  const start = raw.Location?.Start;
  const where = `${raw.Filename ?? templatePath}:${start?.LineNumber ?? 1}:${start?.ColumnNumber ?? 1}`;
  const p = raw.Location?.Path;
  return p && p.length > 0 ? `${where} (${p.join('/')})` : where;
}

export function parseCfnLintJson(stdout: string, templatePath: string): LintFinding[] {
  const parsed: unknown = JSON.parse(stdout.trim() || '[]');
  if (!Array.isArray(parsed)) throw new Error('cfn-lint JSON output is not an array');
  return (parsed as RawFinding[]).map((raw) => ({
    level: levelOf(raw),
    rule: raw.Rule?.Id ?? 'unknown',
    message: raw.Message ?? '',
    location: locationOf(raw, templatePath),
  }));
}

export function createCfnLint(opts: CfnLintOptions = {}): LintPort {
  return {
    async lint(templatePaths) {
      const templatePath = templatePaths.join(' ');
      const bin = locateCfnLint(opts);
      if (bin === undefined) return { available: false, findings: [] };
      const { execa } = await import('execa');
      const args = ['--format', 'json', ...(opts.regions?.length ? ['--regions', ...opts.regions] : []), '--', ...templatePaths];
      // cfn-lint's exit code is a bit mask of the levels it found (2 error, 4 warning, 8 info): not a failure here.
      const result = await execa(bin, args, { reject: false, env: opts.env ?? process.env, extendEnv: false, stripFinalNewline: true });
      try {
        return { available: true, findings: parseCfnLintJson(String(result.stdout), templatePath) };
      } catch (err) {
        throw new AbortError('CFN_LINT_FAILED', `cfn-lint did not produce a report for ${templatePath} (exit ${result.exitCode}): ${String(result.stderr).trim() || String(err)}`, {
          hint: `Run ${bin} ${templatePath} by hand to see what went wrong, or set HELLO_DEPLOY_CFN_LINT to another cfn-lint.`,
          cause: err,
        });
      }
    },
  };
}
