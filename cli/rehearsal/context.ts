// What a rehearsal (`deploy --local`) adds to the deploy context: its options, what this machine can do (Docker or
// not), the ports its own steps use (emulator, registry, running the app, probing it), and the state they leave.
// The deploy steps themselves run unchanged over deployView(): the same options and state, aimed at what the
// rehearsal started.
import type { LoadBalancerProbes, NotRehearsed, RehearsalProbes, RolloutSummary } from './events.ts';
import type { DeployContext, DeployOptions, DeployState } from '../steps/context.ts';
import type { DeployPorts } from '../ports/deploy.ts';
import type { Clock } from '../ports/clock.ts';
import type { DockerStatus, EmulatorEngine, KeptRehearsal, LiveRehearsalPorts, PythonEnv, RehearsalPorts, ReportedTask, Running, StartedApp, StartedEmulator, StartedLoadBalancer, StartedRegistry } from '../ports/rehearsal.ts';

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
  /** deploy --local --domain: the name the pair is made for and the load balancer is probed with (SNI and Host). */
  domain?: string;
  /** Why the image is built FROM what it is, when the rehearsal chose it. */
  baseImageNote?: string;
  /** A kept rehearsal of this ecosystem that still runs: adopted, and the new image rolled out onto it. */
  attach?: KeptRehearsal;
}

/** One task of the service as the rehearsal runs it: the container, and the emulator's task for it. */
export interface ServiceTask {
  app: StartedApp;
  task?: ReportedTask;
  port: number;
  containerName: string;
  taskDefinition?: string;
  image?: string;
}

export interface RehearsalState {
  python?: PythonEnv;
  emulator?: StartedEmulator;
  registry?: StartedRegistry;
  app?: StartedApp;
  probes?: RehearsalProbes;
  /** Set when the probes went through the load balancer (start-load-balancer). */
  loadBalancer?: LoadBalancerProbes;
  /** The service's tasks now running (after a rollout: the new ones). */
  tasks: ServiceTask[];
  /** HAProxy, once started or adopted. */
  lb?: StartedLoadBalancer;
  /** What the roll-out step did, when this rehearsal rolled a new image out onto a kept one. */
  rollout?: RolloutSummary;
  /** Everything started, in order; teardown stops it in reverse. */
  running: Running[];
  /** What was not rehearsed, and why. */
  skipped: NotRehearsed[];
  certFingerprint?: string;
  /** The live ports the emulator step connected (closed at the end). */
  live?: LiveRehearsalPorts;
}

/**
 * What one rehearsal step may touch: `RehearsalStepCtx<'startRegistry'>` uses that rehearsal port and no other
 * (as StepCtx names deploy ports). Options are read-only; both states are where a run writes.
 */
export interface RehearsalStepCtx<P extends keyof RehearsalPorts = never> {
  readonly options: DeployOptions;
  readonly state: DeployState;
  readonly clock: Clock;
  readonly rehearsal: {
    readonly options: Readonly<RehearsalOptions>;
    readonly docker: DockerStatus;
    readonly ports: Readonly<Pick<RehearsalPorts, P>>;
    readonly state: RehearsalState;
  };
}

/** The whole context a rehearsal is built with (cli/commands/local.ts): every rehearsal port. */
export type RehearsalContext = RehearsalStepCtx<keyof RehearsalPorts>;

/** The deploy ports the emulator step connected; before it, ports that fail loudly when used. */
export function emulatorPorts(r: { readonly state: RehearsalState }): DeployPorts {
  return r.state.live ?? unconnectedPorts();
}

/**
 * A deploy step's view of the rehearsal: the same options, aimed at what this run started (the emulator's
 * endpoint once it runs, the local registry once it runs), over the ports connected to the emulator. Made afresh
 * for each step from the rehearsal state, so no step writes to options or swaps another step's ports.
 */
export function deployView(ctx: RehearsalStepCtx): DeployContext {
  const { emulator, registry } = ctx.rehearsal.state;
  return {
    options: { ...ctx.options, ...(emulator ? { endpointUrl: emulator.info.endpoint } : {}), ...(registry ? { registry: registry.host } : {}) },
    ports: emulatorPorts(ctx.rehearsal),
    state: ctx.state,
    clock: ctx.clock,
  };
}

/** Deploy ports that fail loudly if a step runs before the emulator step connected the real ones. */
export function unconnectedPorts(): DeployPorts {
  const fail = (): never => {
    throw new Error('the emulator is not started yet (a rehearsal step ran before the emulator step)');
  };
  const p = new Proxy({}, { get: () => fail });
  return { identity: p, templates: p, lint: p, stacks: p, ecrAuth: p, repositories: p, docker: p, imageDigests: p, smoke: p, certs: p, files: p } as unknown as DeployPorts;
}
