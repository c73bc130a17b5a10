// The answers a deploy needs that a person may have to give (the deploy wizard asks them, `--yes` takes them as
// flags), and the flag each one is. Kept apart from any screen so the saved-answers file, the wizard's services
// and the equivalent command all speak of the same answers.
import type { DeployFlags } from './flags.ts';

export type CertificateAnswer = { kind: 'arn'; arn: string } | { kind: 'pair'; certFile: string; keyFile: string };

/** Everything the wizard asks. Each has a flag, so `--yes` can repeat any wizard run (see equivalentCommand). */
export interface WizardAnswers {
  ecosystem: string;
  /**
   * The git branch that owns the ecosystem (owningBranch): set when the ecosystem is the one derived from the current
   * branch, as `--yes` derives it when --ecosystem is not given. Its flag is that absence: the equivalent command
   * leaves --ecosystem out, and the deploy records and checks the branch on the stacks. Never saved.
   */
  branch?: string;
  email: string;
  region?: string;
  profile?: string;
  certificate: CertificateAnswer;
  /** "Serve it on your own domain?": --domain; the template then makes the certificate, and `certificate` is unused. */
  domain?: string;
}

/** What `.hello-deploy/<ecosystem>.json` holds: answers only, never a secret or a key. */
export type SavedAnswers = Partial<WizardAnswers>;

/** The flags that give exactly these answers (a branch-owned ecosystem is the one `--yes` derives without --ecosystem). */
export function answerFlags(a: WizardAnswers): DeployFlags {
  return {
    ...(a.branch === undefined ? { ecosystem: a.ecosystem } : {}),
    email: a.email,
    ...(a.region ? { region: a.region } : {}),
    ...(a.profile ? { profile: a.profile } : {}),
    ...(a.domain ? { domain: a.domain } : a.certificate.kind === 'arn' ? { certArn: a.certificate.arn } : { cert: a.certificate.certFile, key: a.certificate.keyFile }),
  };
}

/** The flags --yes would need for these answers, plus the run-shaping flags the user gave. */
export function flagsFor(a: WizardAnswers, flags: DeployFlags): DeployFlags {
  const { yes: _y, json: _j, ecosystem: _e, email: _m, region: _r, profile: _p, certArn: _a, cert: _c, key: _k, domain: _d, ...rest } = flags;
  return { ...rest, ...answerFlags(a) };
}
