// What a rehearsal (`deploy --local`) adds to the deploy context: its options, what this machine can do (Docker or
// not), the ports its own steps use (emulator, registry, running the app, probing it), and the state they leave.
// The deploy steps themselves run unchanged on the DeployContext part, against the emulator.
import type { NotRehearsed, RehearsalProbes } from '../core/events.ts';
import type { DeployContext } from '../steps/context.ts';
import type { DeployPorts } from '../ports/deploy.ts';
import type { DockerStatus, EmulatorEngine, LiveRehearsalPorts, PythonEnv, RehearsalPorts, Running, StartedApp, StartedEmulator, StartedRegistry } from '../ports/rehearsal.ts';

export interface RehearsalOptions {
  engine: EmulatorEngine;
  /** For engine 'endpoint': the emulator that is already running. */
  endpointUrl?: string;
  localstackImage: string;
  keep: boolean;
  /** The rehearsal's own temp folder (generated pair, key copy, logs, registry data). */
  workDir: string;
  /** `generated`: made for this rehearsal in workDir; `user`: the user's own pair (never written to). */
  certificateSource: 'generated' | 'user';
  appDir: string;
  /** Why the image is built FROM what it is, when the rehearsal chose it. */
  baseImageNote?: string;
}

export interface RehearsalState {
  python?: PythonEnv;
  emulator?: StartedEmulator;
  registry?: StartedRegistry;
  app?: StartedApp;
  probes?: RehearsalProbes;
  /** Everything started, in order; teardown stops it in reverse. */
  running: Running[];
  /** What was not rehearsed, and why. */
  skipped: NotRehearsed[];
  certFingerprint?: string;
  /** The live ports the emulator step connected (closed at the end). */
  live?: LiveRehearsalPorts;
}

export interface RehearsalContext extends DeployContext {
  rehearsal: {
    options: RehearsalOptions;
    docker: DockerStatus;
    ports: RehearsalPorts;
    state: RehearsalState;
  };
}

/** Deploy ports that fail loudly if a step runs before the emulator step connected the real ones. */
export function unconnectedPorts(): DeployPorts {
  const fail = (): never => {
    throw new Error('the emulator is not started yet (a rehearsal step ran before the emulator step)');
  };
  const p = new Proxy({}, { get: () => fail });
  return { identity: p, templates: p, lint: p, stacks: p, ecrAuth: p, repositories: p, docker: p, smoke: p, certs: p, files: p } as unknown as DeployPorts;
}
