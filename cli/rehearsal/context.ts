// What a rehearsal (`deploy --local`) adds to the deploy context: its options, what this machine can do (Docker or
// not), the ports its own steps use (emulator, registry, running the app, probing it), and the state they leave.
// The deploy steps themselves run unchanged on the DeployContext part, against the emulator.
import type { EmulatorInfo, NotRehearsed, RehearsalProbes } from '../core/events.ts';
import type { DeployContext, DeployPorts } from '../steps/context.ts';

export type EmulatorEngine = 'moto' | 'localstack' | 'endpoint';

/** Something the rehearsal started: stopped at teardown, or left running (and described) with --keep. */
export interface Running {
  what: string;
  pid?: number;
  containerId?: string;
  endpoint?: string;
  /** How to stop it by hand (printed with --keep). */
  stopHint: string;
  stop(): Promise<void>;
  /** Last resort when hello-deploy is forced out (a second Ctrl-C): synchronous, best effort. */
  killNow(): void;
  /** --keep: let hello-deploy exit while it runs on. */
  release(): void;
}

export interface StartedEmulator extends Running {
  info: EmulatorInfo;
}

export interface StartedRegistry extends Running {
  /** `127.0.0.1:PORT`, what docker login/tag/push use. */
  host: string;
  runs: string;
}

export interface StartedApp extends Running {
  runtime: 'docker' | 'gunicorn';
  url: string;
  logTail(): Promise<string>;
  /** False once the container or process has exited (it crashed on start, or was stopped). */
  isRunning(): Promise<boolean>;
}

/** Where moto_server, cfn-lint and (when the app's requirements are installed) gunicorn come from. */
export interface PythonEnv {
  source: 'project-venv' | 'path' | 'cache-venv';
  /** The folder holding the tools. */
  bin: string;
  motoServer?: string;
  motoVersion?: string;
  cfnLint?: string;
  gunicorn?: string;
}

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

export type DockerStatus = { available: true; version: string } | { available: false; reason: string };

/** How the task definition and target group say the container runs, as far as it can be read from the template. */
export interface LocalRunSpec {
  containerName: string;
  containerPort: number;
  environment: Record<string, string>;
  /** Fargate task size: CPU units (1024 = 1 vCPU) and MiB. */
  cpuUnits?: number;
  memoryMiB?: number;
  health: { protocol: 'HTTP' | 'HTTPS'; path: string; matcher: string };
  /** What could not be reproduced locally (e.g. the awslogs driver), in words. */
  notes: string[];
}

export interface RunRequest {
  spec: LocalRunSpec;
  /** The port to use: the spec's, or a free one when the spec's is taken on this machine. */
  port: number;
  certFile: string;
  keyFile: string;
}

export interface HttpsAnswer {
  status: number;
  body: string;
  /** SHA-256 of the certificate the server presented, colon-separated upper-case hex. */
  fingerprint: string;
}

export interface LiveRehearsalPorts extends DeployPorts {
  close(): void;
}

export interface ProgressIO {
  signal: AbortSignal;
  progress(message: string): void;
  log(line: string): void;
}

export interface RehearsalPorts {
  /** Finds (or, when allowed, creates and caches) the Python tools; `needApp` also requires the app's requirements. */
  python(io: ProgressIO, opts: { needApp: boolean }): Promise<PythonEnv>;
  startEmulator(io: ProgressIO, python: PythonEnv | undefined): Promise<StartedEmulator>;
  /** The deploy ports, aimed at the emulator with the fake credentials. */
  connect(endpoint: string, python: PythonEnv | undefined): Promise<LiveRehearsalPorts>;
  startRegistry(login: { username: string; password: string }): Promise<StartedRegistry>;
  /** Writes a new self-signed pair (key 0600); returns its fingerprint. */
  generatePair(certFile: string, keyFile: string): Promise<{ fingerprint: string }>;
  fingerprintOf(certFile: string): Promise<string>;
  portIsFree(port: number): Promise<boolean>;
  freePort(): Promise<number>;
  runContainer(image: string, req: RunRequest, io: ProgressIO & { warn(m: string): void }): Promise<StartedApp>;
  runGunicorn(python: PythonEnv, req: RunRequest, io: ProgressIO): Promise<StartedApp>;
  /** GET https://127.0.0.1:port/path, accepting the self-signed certificate and recording its fingerprint. */
  httpsGet(url: string, timeoutMs: number): Promise<HttpsAnswer>;
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
  return { identity: p, templates: p, lint: p, stacks: p, ecrAuth: p, docker: p, smoke: p, certs: p, files: p } as unknown as DeployPorts;
}
