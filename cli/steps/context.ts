// The narrow context every deploy step works over: validated options, the ports it may use, and the state
// earlier steps leave for later ones. Steps never see flags, printers or the SDK.
import type { DeployPorts, Identity, RegistryLogin } from '../ports/deploy.ts';

export interface DeployOptions {
  ecosystem: string;
  email: string;
  region?: string;
  /** Set when every AWS call goes to an emulator; the smoke check is then skipped (its URL is not reachable). */
  endpointUrl?: string;
  certificate: { kind: 'arn'; arn: string } | { kind: 'pair'; certFile: string; keyFile: string };
  /** A prebuilt image: skips login, build, tag and push. */
  image?: string;
  /** Push here (host:port) instead of the ECR endpoint, for emulators whose ECR has no registry. */
  registry?: string;
  deployMethod: 'change-set' | 'direct';
  projectDir: string;
  ecrTemplate: string;
  infraTemplate: string;
  dockerfile: string;
  buildArgs: Record<string, string>;
  /** The immutable tag: git short SHA plus time. */
  imageTag: string;
}

export interface DeployState {
  identity?: Identity;
  certificateArn?: string;
  ecrTemplateBody?: string;
  infraTemplateBody?: string;
  repository?: { uri: string; name: string };
  login?: RegistryLogin;
  builtImage?: string;
  pushRef?: string;
  /** What the infra stack runs: `repo@sha256:…`, so every new image is a change CloudFormation sees. */
  imageId?: string;
  infraOutputs?: Record<string, string>;
  url?: string;
  stacksTouched: string[];
}

export interface DeployContext {
  options: DeployOptions;
  ports: DeployPorts;
  state: DeployState;
}

