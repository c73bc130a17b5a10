// LintPort over the cfn-lint CLI (Python, installed into the project's .venv by `npm run setup`). Linting is a
// bonus: when cfn-lint is nowhere to be found the port says `available: false` and the step carries on.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { AbortError } from '../core/errors.ts';
import type { LintFinding, LintPort } from '../ports/deploy.ts';

export interface CfnLintOptions {
  /** Defaults to the directory holding hello-deploy's package.json (works from cli/ and from the dist/ bundle). */
  projectRoot?: string;
  env?: NodeJS.ProcessEnv;
  /** Regions to check resource types against (cfn-lint's default is us-east-1). */
  regions?: string[];
  /**
   * Where reports of unchanged templates are kept; undefined turns the cache off. A re-deploy of the same
   * templates with the same cfn-lint then skips a Python start-up and a full lint (about 1.5 s of CPU).
   */
  cacheDir?: string;
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

/**
 * The cache key: cfn-lint's identity (its path, size and mtime change with an upgrade), the regions, and each
 * template's path and content.
 */
async function cacheKey(bin: string, templatePaths: string[], regions: string[] | undefined): Promise<string> {
  const [{ createHash }, { readFile, stat, realpath }] = await Promise.all([import('node:crypto'), import('node:fs/promises')]);
  const hash = createHash('sha256');
  const real = await realpath(bin);
  const st = await stat(real);
  hash.update(`${real}\0${st.size}\0${st.mtimeMs}\0${(regions ?? []).join(',')}\0`);
  for (const p of templatePaths) hash.update(`${path.resolve(p)}\0`).update(await readFile(p)).update('\0');
  return hash.digest('hex');
}

export function createCfnLint(opts: CfnLintOptions = {}): LintPort {
  return {
    async lint(templatePaths, { signal } = {}) {
      const templatePath = templatePaths.join(' ');
      const bin = locateCfnLint(opts);
      if (bin === undefined) return { available: false, findings: [] };
      const { readFile, writeFile, mkdir } = await import('node:fs/promises');
      const cached = opts.cacheDir ? path.join(opts.cacheDir, `${await cacheKey(bin, templatePaths, opts.regions)}.json`) : undefined;
      if (cached) {
        try {
          return { available: true, findings: JSON.parse(await readFile(cached, 'utf8')) as LintFinding[] };
        } catch {
          // no report yet (or an unreadable one): lint for real
        }
      }
      const { execa } = await import('execa');
      const args = ['--format', 'json', ...(opts.regions?.length ? ['--regions', ...opts.regions] : []), '--', ...templatePaths];
      // cfn-lint's exit code is a bit mask of the levels it found (2 error, 4 warning, 8 info): not a failure here.
      // A stopped run (the step is read-only: abandoned when another step fails) kills cfn-lint rather than wait for it.
      const result = await execa(bin, args, { reject: false, env: opts.env ?? process.env, extendEnv: false, stripFinalNewline: true, ...(signal ? { cancelSignal: signal } : {}) });
      if (signal?.aborted) throw new AbortError('CFN_LINT_FAILED', 'cfn-lint was stopped.');
      let findings: LintFinding[];
      try {
        findings = parseCfnLintJson(String(result.stdout), templatePath);
      } catch (err) {
        throw new AbortError('CFN_LINT_FAILED', `cfn-lint did not produce a report for ${templatePath} (exit ${result.exitCode}): ${String(result.stderr).trim() || String(err)}`, {
          hint: `Run ${bin} ${templatePath} by hand to see what went wrong, or set HELLO_DEPLOY_CFN_LINT to another cfn-lint.`,
          cause: err,
        });
      }
      if (cached) {
        // Best effort: a cache that cannot be written only costs the next run a lint.
        await mkdir(path.dirname(cached), { recursive: true }).then(() => writeFile(cached, JSON.stringify(findings)), () => undefined).catch(() => undefined);
      }
      return { available: true, findings };
    },
  };
}
