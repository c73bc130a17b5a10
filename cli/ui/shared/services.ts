// What the wizard may do in the world, as one injected interface: the UI never imports the AWS SDK, the docker
// adapter or execa (lint-enforced). cli/commands/wizard-services.ts implements it with the real adapters and the
// prerequisite checks the deploy step runs (cli/steps/prerequisites.ts); component tests hand in small fakes.
// Every call resolves to a Check instead of throwing, so a failure is data a screen can show.
import type { Host } from '../../core/host.ts';
import type { ErrorShape, ExitCode } from '../../core/errors.ts';
import type { PlannedStep } from '../../core/events.ts';
import type { CertificateAnswer, SavedAnswers, WizardAnswers } from '../../domain/deploy-answers.ts';
import type { DeployEvent } from '../../deploy/result.ts';
import type { RehearsalEvent } from '../../rehearsal/events.ts';
import type { CpuArchitecture } from '../../domain/architecture.ts';
import type { CostEstimate } from '../../domain/cost.ts';
import type { PreflightReport } from '../../domain/preflight/report.ts';

export type { CertificateAnswer, SavedAnswers, WizardAnswers, PreflightReport };

export type Check<T> = { ok: true; value: T } | { ok: false; error: ErrorShape };

/** Where AWS calls go: the profile and region the user chose (undefined: the SDK's default chain decides). */
export interface AwsTarget {
  profile?: string;
  region?: string;
}

export interface IdentityInfo {
  account: string;
  arn: string;
  /** The region the SDK resolved for this profile. */
  region: string;
}

export interface LocalPair {
  certFile: string;
  keyFile: string;
  /** Both files exist and are readable. */
  present: boolean;
  /** How to show the certificate file, e.g. relative to the current folder. */
  label?: string;
  subject?: string;
  /** ISO date. */
  notAfter?: string;
}

export interface AcmCertificate {
  arn: string;
  domain?: string;
  /** ISO date. */
  notAfter?: string;
  daysLeft?: number;
  state: 'ok' | 'expiring' | 'expired' | 'unknown';
  /** The Ecosystem tag, when hello-deploy imported it. */
  ecosystem?: string;
}

export interface TemplatesCheck {
  found: string[];
  missing: string[];
}

/** The CPU architecture of the tasks, and whether it is this machine's default or --arch's. */
export interface ArchitectureChoice {
  cpu: CpuArchitecture;
  fromHost: boolean;
}

/** What the command line already settled before the wizard started (flags, git, saved answers). */
export interface WizardStart {
  ecosystem?: string;
  /** The git branch the ecosystem was derived from, for the answers screen. */
  branch?: string;
  email?: string;
  region?: string;
  profile?: string;
  certificate?: CertificateAnswer;
  /** --domain, or the saved answer: the domain question starts with it. */
  domain?: string;
  /** Set when every AWS call goes to an emulator; shown so nobody mistakes it for a real account. */
  endpointUrl?: string;
  /** --image: no docker build, so no Docker engine is needed. */
  image?: string;
  /** What the tasks run on: --arch, else this machine's (fromHost). Shown with its price; not an answer (no flag to save). */
  architecture?: ArchitectureChoice;
  /** What the deploy will cost (cli/deploy/cost.ts) for that architecture, when the templates could be read. */
  cost?: CostEstimate;
  /** Where saved answers came from, if any. */
  savedFrom?: string;
  /** The flags that are not answers but change the run (e.g. --deploy-method direct), for the equivalent command. */
  passThrough: string[];
}

export interface WizardServices {
  checkIdentity(target: AwsTarget): Promise<Check<IdentityInfo>>;
  pingDocker(): Promise<Check<{ serverVersion: string }>>;
  /** The default pair location (app/certs under the current folder) and what is there. */
  localCertificates(): Promise<LocalPair>;
  /** generate-certs with its defaults into app/certs; refuses to overwrite an existing pair. */
  generateCertificates(): Promise<Check<LocalPair>>;
  /** Imported ACM certificates in the target region, soonest expiry first. */
  listCertificates(target: AwsTarget): Promise<Check<AcmCertificate[]>>;
  /** Imports the pair (tagged with the ecosystem), or reuses an identical earlier import. */
  importCertificate(target: AwsTarget, pair: { certFile: string; keyFile: string }, ecosystem: string): Promise<Check<AcmCertificate>>;
  templatesPresent(): Promise<TemplatesCheck>;
  /**
   * The deploy's preflight for these answers, read only (cli/steps/preflight.ts): names taken outside the stacks,
   * quotas, the certificate's fit. Problems are in the report; a failure to check at all is the Check's error.
   */
  preflight(target: AwsTarget, ecosystem: string, certificate: CertificateAnswer): Promise<Check<PreflightReport>>;
  loadAnswers(ecosystem: string): Promise<SavedAnswers | undefined>;
  /** Returns the file written. */
  saveAnswers(answers: WizardAnswers): Promise<Check<string>>;
  /**
   * Runs the deploy engine (runDeploy) with these answers; every event and question goes through `host`, exactly
   * as with --yes. Ends with one `result` event on the host, also for input the engine refuses before it starts.
   */
  deploy(answers: WizardAnswers, host: Host<DeployEvent>, signal: AbortSignal): Promise<{ exitCode: ExitCode }>;
  /** DescribeStacks status, for the Ctrl-C question (undefined when there is no such stack). */
  stackStatus(target: AwsTarget, stackName: string): Promise<string | undefined>;
  /** CloudFormation CancelUpdateStack: rolls an UPDATE_IN_PROGRESS stack back to where it was. */
  cancelUpdate(target: AwsTarget, stackName: string): Promise<Check<void>>;
}

// ---------------------------------------------------------------- the rehearsal (`hello-deploy --local` on a TTY)

/** What the rehearsal wizard shows before anything starts: settled by the flags, git and this machine. */
export interface RehearsalStart {
  /** Prefilled: --ecosystem, else the git branch sanitized, else "rehearsal". */
  ecosystem: string;
  branch?: string;
  /** --email, or '' (the rehearsal's default then applies). */
  email: string;
  /** The address a rehearsal uses when none is given: a reserved domain, so nothing could ever be sent. */
  defaultEmail: string;
  emulator: 'moto' | 'moto-plain' | 'localstack' | 'endpoint';
  docker: { available: true; version: string } | { available: false; reason: string };
  certificate: { source: 'generated' | 'user'; label: string };
  /** Why the image is built FROM what it is, when the rehearsal chose it. */
  baseImageNote?: string;
  keep: boolean;
  /** The dry-run plan: every step that will run locally, with what it does in words. */
  steps: PlannedStep[];
  /** Flags that shape the run (--emulator, --keep, --cert/--key, …), for the equivalent command. */
  passThrough: string[];
}

export interface RehearsalAnswers {
  ecosystem: string;
  /** The git branch that owns the ecosystem, when it is the one derived from it (owningBranch): as WizardAnswers.branch. */
  branch?: string;
  /** Always set: what the user typed, or RehearsalStart.defaultEmail. */
  email: string;
}

/** What the rehearsal wizard may do in the world: one call, the same runRehearsal as `--local --yes`. */
export interface RehearsalServices {
  /**
   * Prepares and runs one rehearsal with these answers; every event goes through `host`, teardown included, and
   * it ends with one `result` event, also when the flags are refused before anything starts. Aborting `signal`
   * stops after the running steps and still tears down.
   */
  rehearse(answers: RehearsalAnswers, host: Host<RehearsalEvent>, signal: AbortSignal): Promise<{ exitCode: ExitCode }>;
}
