// The narrow context every deploy step works over: read-only options, only the ports the step names, the state
// earlier steps leave for later ones (the one mutable thing), and the clock. Steps never see flags, printers or
// the SDK.
import type { DeployPorts, Identity, RegistryLogin } from '../ports/deploy.ts';
import type { Clock } from '../ports/clock.ts';
import type { CpuArchitecture } from '../domain/architecture.ts';

/** What the user asked for, validated. Read-only: what a run learns goes into DeployState instead. */
export interface DeployOptions {
  /** --traffic: the request rate the cost estimate prices (default idle). */
  readonly trafficRps?: number;
  /** --live-prices: the Price List API instead of the bundled prices. */
  readonly livePrices?: boolean;
  readonly ecosystem: string;
  /** The git branch the ecosystem was derived from (unset with --ecosystem): recorded on the stacks, checked before a deploy. */
  readonly branch?: string;
  /** --take-over: deploy even over stacks another branch deployed. */
  readonly takeOver?: boolean;
  readonly email: string;
  readonly region?: string;
  /** Set when every AWS call goes to an emulator; the smoke check is then skipped (its URL is not reachable). */
  readonly endpointUrl?: string;
  /** `managed`: --domain, the infra template makes an ACM certificate for it (nothing to import or look up). */
  readonly certificate: { readonly kind: 'arn'; readonly arn: string } | { readonly kind: 'pair'; readonly certFile: string; readonly keyFile: string } | { readonly kind: 'managed' };
  /**
   * --domain (issue 16): the infra stack's DomainName, and its HostedZoneId when known up front (unset: the
   * prerequisites look the zone up in Route 53, DeployState.hostedZone).
   */
  readonly domain?: { readonly name: string; readonly hostedZoneId?: string; readonly replaceRecord?: boolean };
  /** --domain-wait: the bound on the certificate's DNS validation (default DOMAIN_WAIT_MS in deploy-infra-stack). */
  readonly domainWaitMs?: number;
  /** A prebuilt image: skips login, build, tag and push. */
  readonly image?: string;
  /** Push here (host:port) instead of the ECR endpoint, for emulators whose ECR has no registry. */
  readonly registry?: string;
  readonly deployMethod: 'change-set' | 'direct';
  /**
   * What the tasks run on (the infra stack's CpuArchitecture), what the image is built for, and what a prebuilt
   * --image must hold: --arch, else this machine's own.
   */
  readonly architecture: CpuArchitecture;
  /** No --arch was given: the architecture is this machine's (messages say so). */
  readonly architectureFromHost?: boolean;
  readonly projectDir: string;
  readonly ecrTemplate: string;
  readonly infraTemplate: string;
  readonly dockerfile: string;
  readonly buildArgs: Readonly<Record<string, string>>;
  /** The immutable tag: git short SHA plus time. */
  readonly imageTag: string;
  /** The local tag docker build gives the image; default `<ecosystem>-hello-world:<imageTag>`. A rehearsal reuses one. */
  readonly buildTag?: string;
  /** --timeout: the longest wait for each stack's create or update (unset: each stack step's own default). */
  readonly timeoutMs?: number;
  /** --no-cancel: a failing rollout is reported, and the update left to the ECS circuit breaker (no CancelUpdateStack). */
  readonly noCancel?: boolean;
}

export interface DeployState {
  identity?: Identity;
  certificateArn?: string;
  ecrTemplateBody?: string;
  infraTemplateBody?: string;
  repository?: { uri: string; name: string };
  /** The branch tag both stacks carry (the ECR step decides it: this run's branch, or the one an explicit --ecosystem found). */
  branchTag?: string;
  login?: RegistryLogin;
  builtImage?: string;
  /**
   * --image as the prerequisites read it (its manifest digest and platforms): the push-image step deploys this digest,
   * so the image whose architecture was checked is the image that runs, whatever its tag does meanwhile.
   */
  checkedImage?: { digest: string };
  pushRef?: string;
  /** What the infra stack runs: `repo@sha256:…`, so every new image is a change CloudFormation sees. */
  imageId?: string;
  infraOutputs?: Record<string, string>;
  /** --domain: the public Route 53 zone holding the name (null: none in this account, the CNAME is added by hand). */
  hostedZone?: { id: string; name: string } | null;
  /** --replace-record: the records of the name pointing elsewhere, deleted right before the infra stack changes. */
  recordsToReplace?: { type: string; name: string; text: string }[];
  url?: string;
  stacksTouched: string[];
  /** Opened by the prerequisites once the preflight has passed (see preflightPassed()). */
  preflightLatch?: Latch;
}

interface Latch {
  opened: Promise<void>;
  open(): void;
}

/**
 * The moment the preflight has passed, shared by the steps of one run: the prerequisites open it, and a step that
 * must not compete with the preflight's calls (ValidateTemplate on an emulator: cli/deploy/plan.ts) waits for it.
 */
export function preflightPassed(state: DeployState): Latch {
  if (!state.preflightLatch) {
    let open!: () => void;
    const opened = new Promise<void>((resolve) => (open = resolve));
    state.preflightLatch = { opened, open };
  }
  return state.preflightLatch;
}

/**
 * What one step may touch: `StepCtx<'stacks' | 'files'>` is a step that uses those two ports and no other. A
 * step typed `Step<StepCtx<…>>` fits any plan over a wider context, since a DeployContext has every port.
 */
export interface StepCtx<P extends keyof DeployPorts = never> {
  readonly options: DeployOptions;
  readonly ports: Readonly<Pick<DeployPorts, P>>;
  readonly state: DeployState;
  readonly clock: Clock;
}

/** The whole context a deploy run is built with (cli/commands): every port. */
export type DeployContext = StepCtx<keyof DeployPorts>;
