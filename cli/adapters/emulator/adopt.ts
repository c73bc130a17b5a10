// Takes over what `deploy --local --keep` left running, for the next rehearsal of the same ecosystem: the moto
// launcher and the registry (processes or containers of an earlier hello-deploy), and the app containers with their
// tasks in the emulator. Each comes back as the same Running shapes the rehearsal starts itself, so teardown (or
// another --keep) treats them alike. Nothing is adopted that does not answer.
import { execa } from 'execa';
import type { AdoptPorts, KeptRehearsal, Running } from '../../ports/rehearsal.ts';
import { adoptService, alive } from './processes.ts';
import { containerApp, containerRemoval } from './app-runner.ts';
import { adoptTask } from './task-reporter.ts';

/** The emulator answers HTTP at all (any status): a bounded GET on loopback. */
async function answers(endpoint: string): Promise<boolean> {
  try {
    const r = await fetch(new URL('/moto-api/', endpoint), { signal: AbortSignal.timeout(2_000) });
    await r.body?.cancel();
    return true;
  } catch {
    return false;
  }
}

async function containerRuns(docker: string, id: string): Promise<boolean> {
  const s = await execa(docker, ['inspect', '--format', '{{.State.Running}}', id], { reject: false, stdin: 'ignore', timeout: 10_000 });
  return String(s.stdout).trim() === 'true';
}

function adoptContainer(docker: string, what: string, id: string): Running {
  return { what, containerId: id, stopHint: `docker rm -f -v ${id.slice(0, 12)}`, ...containerRemoval(docker, id), release: () => undefined };
}

export function adoptPorts(docker = 'docker'): AdoptPorts {
  return {
    async emulator(saved: KeptRehearsal['emulator']) {
      if (!alive(saved.pid) || !(await answers(saved.info.endpoint))) return undefined;
      return { ...adoptService(`${saved.info.engine === 'moto' ? 'moto launcher' : 'moto_server'} (kept)`, saved.pid, saved.logFile), endpoint: saved.info.endpoint, info: saved.info };
    },
    async registry(saved) {
      if (saved.pid !== undefined) {
        if (!alive(saved.pid)) return undefined;
        return { ...adoptService('docker-registry (kept)', saved.pid, saved.logFile), host: saved.host, runs: saved.runs, endpoint: saved.host };
      }
      if (saved.containerId === undefined || !(await containerRuns(docker, saved.containerId))) return undefined;
      return { ...adoptContainer(docker, 'registry container (kept)', saved.containerId), host: saved.host, runs: saved.runs, endpoint: saved.host };
    },
    async app(saved) {
      if (!(await containerRuns(docker, saved.containerId))) return undefined;
      return containerApp(docker, saved.containerId, saved.containerId.slice(0, 12), saved.port);
    },
    task: (endpoint, cluster, saved, io) => adoptTask(endpoint, cluster, saved, io, docker),
  };
}
