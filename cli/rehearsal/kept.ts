// The record of a kept rehearsal (`deploy --local --keep`): written when the rehearsal leaves its processes running,
// read by the next rehearsal of the same ecosystem, which adopts them and rolls its new image out onto the kept
// service (steps/roll-out.ts), and removed by whichever rehearsal finally tears them down. One file per ecosystem in
// hello-deploy's cache folder, mode 0600 (it names the rehearsal folder, which holds a private key).
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { cacheRoot } from '../core/paths.ts';
import type { KeptRehearsal, KeptTask } from '../ports/rehearsal.ts';
import type { RehearsalContext } from './context.ts';

export function keptPath(ecosystem: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const root = cacheRoot(env);
  return root ? path.join(root, 'kept', `${ecosystem}.json`) : undefined;
}

/** The record for this ecosystem, or undefined when there is none (or it is not one of ours). */
export async function readKept(ecosystem: string, env: NodeJS.ProcessEnv = process.env): Promise<KeptRehearsal | undefined> {
  const file = keptPath(ecosystem, env);
  if (!file) return undefined;
  try {
    const r = JSON.parse(await readFile(file, 'utf8')) as KeptRehearsal;
    return r.version === 1 && r.ecosystem === ecosystem && typeof r.workDir === 'string' && typeof r.emulator?.pid === 'number' && Array.isArray(r.tasks) ? r : undefined;
  } catch {
    return undefined;
  }
}

export async function forgetKept(ecosystem: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const file = keptPath(ecosystem, env);
  if (file) await rm(file, { force: true });
}

/** What this rehearsal leaves running, as a record; undefined when there is nothing a next rehearsal could adopt. */
export function keptRecord(ctx: RehearsalContext): KeptRehearsal | undefined {
  const r = ctx.rehearsal;
  const { emulator, registry, lb } = r.state;
  const c = ctx.options.certificate;
  if (!emulator?.pid || !emulator.info.endpoint || c.kind !== 'pair' || !r.state.certFingerprint || r.options.engine !== 'moto') return undefined;
  const logFile = (x: object) => ('logFile' in x && typeof x.logFile === 'string' && x.logFile ? { logFile: x.logFile } : {});
  const tasks: KeptTask[] = r.state.tasks
    .filter((t) => t.app.runtime === 'docker' && t.app.containerId)
    .map((t) => ({
      containerId: t.app.containerId!,
      containerName: t.containerName,
      url: t.app.url,
      port: t.port,
      ...(t.task ? { taskArn: t.task.taskArn } : {}),
      ...(t.taskDefinition ? { taskDefinition: t.taskDefinition } : {}),
      ...(t.image ? { image: t.image } : {}),
      ...(t.task?.logStream ? { logStream: t.task.logStream } : {}),
    }));
  return {
    version: 1,
    ecosystem: ctx.options.ecosystem,
    savedAt: new Date(ctx.clock.now()).toISOString(),
    workDir: r.options.workDir,
    emulator: { info: emulator.info, pid: emulator.pid, ...logFile(emulator) },
    ...(registry ? { registry: { host: registry.host, runs: registry.runs, ...(registry.pid ? { pid: registry.pid } : {}), ...(registry.containerId ? { containerId: registry.containerId } : {}), ...logFile(registry) } } : {}),
    tasks,
    ...(lb ? { loadBalancer: lb.saved() } : {}),
    certificate: { certFile: c.certFile, keyFile: c.keyFile, fingerprint: r.state.certFingerprint, source: r.options.certificateSource },
  };
}

export async function writeKept(record: KeptRehearsal, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  const file = keptPath(record.ecosystem, env);
  if (!file) return undefined;
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  await writeFile(file, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
  return file;
}
