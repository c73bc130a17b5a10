// `hello-deploy deploy --local`: rehearse the whole deployment on this machine against an emulator. Validates
// first (exit 2 before anything starts), then hands over to the rehearsal service through the skeleton, with a
// plain or NDJSON printer. Ctrl-C stops after the running steps and still tears down; a second Ctrl-C kills what
// was started, at once (the rehearsal's exit hook).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ExitCode } from '../core/errors.ts';
import type { RehearsalEvent } from '../rehearsal/events.ts';
import type { RehearsalContext } from '../rehearsal/context.ts';
import { systemClock } from '../adapters/clock.ts';
import type { DockerStatus, KeptRehearsal } from '../ports/rehearsal.ts';
import { isolateFromRealAws } from '../adapters/emulator/fake-aws.ts';
import { checkLocalFlags, resolveRehearsal, type RehearsalFlags } from '../rehearsal/options.ts';
import { exitCodeOf, runStreamed } from './skeleton.ts';

async function dockerStatus(): Promise<DockerStatus> {
  const { createDockerPort } = await import('../adapters/docker/docker.ts');
  try {
    const { serverVersion } = await createDockerPort().ping();
    return { available: true, version: serverVersion };
  } catch (err) {
    return { available: false, reason: err instanceof Error ? err.message.replace(/^Cannot reach the Docker engine: /, '') : String(err) };
  }
}

async function imageExists(ref: string): Promise<boolean> {
  const { execa } = await import('execa');
  return (await execa('docker', ['image', 'inspect', '--format', '{{.Id}}', ref], { reject: false, stdin: 'ignore' })).exitCode === 0;
}

/**
 * Everything before the rehearsal starts: what this machine has (Docker, git), the flag checks (a UsageError, exit
 * 2, before anything starts), the rehearsal folder, and the context. The wizard builds its run with this too, and
 * passes `branch`: the one its answers screen showed, so the rehearsal records the branch the person confirmed.
 */
export async function prepareRehearsal(flags: RehearsalFlags, cwd = process.cwd(), known: { branch?: string } = {}): Promise<RehearsalContext> {
  // Before any SDK client exists: whatever AWS_* the user has set, this process only ever signs with fakes.
  isolateFromRealAws();
  const [{ projectDir, packageRoot }, git, { immutableTag }] = await Promise.all([import('../core/paths.ts'), import('../adapters/git.ts'), import('../deploy/options.ts')]);
  const dir = projectDir(cwd);
  const [branch, sha, docker] = await Promise.all([known.branch ?? git.currentBranch(cwd), git.shortSha(dir), dockerStatus()]);
  const engine = checkLocalFlags(flags, docker);
  const workDir = await mkdtemp(path.join(tmpdir(), 'hello-deploy-rehearsal-'));
  let resolved;
  const env = { cwd, projectDir: dir, ...(branch ? { branch } : {}), imageTag: immutableTag(sha), docker, imageExists };
  try {
    resolved = await resolveRehearsal(flags, engine, { ...env, workDir });
    // A kept rehearsal of this ecosystem (--keep) that still runs: this one adopts it, in its folder, and rolls out.
    const kept = engine === 'moto' && docker.available ? await adoptable(resolved.options.ecosystem) : undefined;
    if (kept) {
      await rm(workDir, { recursive: true, force: true });
      resolved = await resolveRehearsal(flags, engine, { ...env, workDir: kept.workDir });
      resolved.rehearsal.attach = kept;
    }
  } catch (e) {
    await rm(workDir, { recursive: true, force: true });
    throw e;
  }
  const { createRehearsalPorts } = await import('../adapters/rehearsal-ports.ts');
  return {
    options: resolved.options,
    state: { stacksTouched: [] },
    clock: systemClock,
    rehearsal: {
      options: resolved.rehearsal,
      docker,
      ports: createRehearsalPorts({ options: resolved.rehearsal, projectDirs: [dir, packageRoot()], packageRoot: packageRoot(), label: `hello-deploy.rehearsal=${path.basename(workDir)}` }),
      state: { running: [], skipped: [], tasks: [] },
    },
  };
}

/** The kept rehearsal of this ecosystem, when its emulator still runs; a record whose emulator is gone is forgotten. */
async function adoptable(ecosystem: string): Promise<KeptRehearsal | undefined> {
  const [{ readKept, forgetKept }, { alive }] = await Promise.all([import('../rehearsal/kept.ts'), import('../adapters/emulator/processes.ts')]);
  const kept = await readKept(ecosystem);
  if (!kept) return undefined;
  if (alive(kept.emulator.pid)) return kept;
  await forgetKept(ecosystem);
  return undefined;
}

export async function runLocal(flags: RehearsalFlags): Promise<ExitCode> {
  return runStreamed<RehearsalContext, RehearsalEvent>({
    json: flags.json === true,
    plain: async () => {
      const [{ linePrinter }, { rehearsalLines }] = await Promise.all([import('../printers/line.ts'), import('../printers/rehearsal.ts')]);
      return linePrinter<RehearsalEvent>(rehearsalLines);
    },
    // Refused before the rehearsal starts: the stream still ends with a result line, so --json consumers see one shape.
    failure: (error) => ({ type: 'result', ok: false, error }),
    prepare: () => prepareRehearsal(flags),
    run: async (ctx, print, signal) => {
      const [{ NonInteractiveHost }, { runRehearsal }] = await Promise.all([import('../core/host.ts'), import('../rehearsal/run.ts')]);
      return exitCodeOf(await runRehearsal(ctx, new NonInteractiveHost<RehearsalEvent>(print), signal));
    },
    // SIGTERM and SIGHUP (the terminal went away) stop it too: it still tears down what it started.
    stopOn: {
      signals: ['SIGINT', 'SIGTERM', 'SIGHUP'],
      saying: (signal) => `\n${signal === 'SIGINT' ? 'Ctrl-C' : signal}: stopping after the running steps, then tearing down… (Ctrl-C again to kill everything at once)\n`,
    },
  });
}
