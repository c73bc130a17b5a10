// The preflight: after the credentials and before the first stack change, every check of what AWS would refuse
// late, all at once, each problem with its fix. The deploy's prerequisites step (check-prerequisites.ts), the
// wizard's checklist (through WizardServices) and `hello-deploy doctor` run this same function over the same
// read-only ports, so the three never disagree.
//
// The check list is open: a check is an object in PREFLIGHT_CHECKS (preflight-checks.ts) with an id, a title, an
// optional reason to skip, and a run over the shared facts, over the ports in PreflightPorts.
import { toHelloDeployError } from '../core/errors.ts';
import { stackNames } from '../domain/names.ts';
import { fixedNamesOf, type FixedName, type NameContext, type StackKind } from '../domain/preflight/names.ts';
import type { CheckReport, PreflightReport, Problem } from '../domain/preflight/report.ts';
import type { Identity } from '../ports/deploy.ts';
import type { PreflightPorts } from '../ports/preflight.ts';
import type { ImageArchitectureChecked, ImageArchitectureQuestion } from './image-architecture.ts';
import type { CertificateToCheck } from './prerequisites.ts';

/** A prebuilt --image and what its tasks run on; `checked` when the caller read its manifest already (the deploy). */
export interface ImageToCheck extends ImageArchitectureQuestion {
  checked?: ImageArchitectureChecked;
}

export interface PreflightInput {
  ecosystem: string;
  identity: Identity;
  templates: { ecr: string; infra: string };
  /** Undefined: no certificate to judge (doctor without one); the certificate check is then skipped, and says why. */
  certificate?: CertificateToCheck;
  /** A prebuilt --image, for the Image check; undefined: the deploy builds one for its --arch, and the check is skipped. */
  image?: ImageToCheck;
  now: Date;
}

/** What every check may read, gathered once: the names, and what the ecosystem's own stacks already hold. */
export interface PreflightFacts {
  where: NameContext;
  names: FixedName[];
  stackNames: Record<StackKind, string>;
  /** logical id → physical id, per stack; undefined when the stack does not exist yet. */
  owned: Record<StackKind, Map<string, string> | undefined>;
}

export interface CheckOutcome {
  problems: Problem[];
  notes: string[];
}

export interface PreflightCheck {
  id: string;
  title: string;
  /** Why the check does not apply to this input, or undefined when it runs. */
  skip?(input: PreflightInput): string | undefined;
  run(input: PreflightInput, facts: PreflightFacts, ports: PreflightPorts): Promise<CheckOutcome>;
}

/** The partition an identity's ARN is in (aws, aws-cn, aws-us-gov). */
export const partitionOf = (arn: string): string => arn.split(':')[1] || 'aws';

/** Runs every check (at once: they are independent reads) and reports each; an error that is not a finding is thrown. */
export async function runPreflight(input: PreflightInput, ports: PreflightPorts, checks: readonly PreflightCheck[]): Promise<PreflightReport> {
  const where: NameContext = { ecosystem: input.ecosystem, region: input.identity.region, account: input.identity.account, partition: partitionOf(input.identity.arn) };
  const names = [...fixedNamesOf(input.templates.ecr, 'ecr', where), ...fixedNamesOf(input.templates.infra, 'infra', where)];
  const stacks = stackNames(input.ecosystem);
  const [ecr, infra] = await Promise.all([ports.stackResources.physicalIds(stacks.ecr), ports.stackResources.physicalIds(stacks.infra)]);
  const facts: PreflightFacts = { where, names, stackNames: stacks, owned: { ecr, infra } };
  const reports = await Promise.all(
    checks.map(async (check): Promise<CheckReport> => {
      const skipped = check.skip?.(input);
      if (skipped !== undefined) return { id: check.id, title: check.title, status: 'skipped', problems: [], notes: [], skipped };
      const { problems, notes } = await check.run(input, facts, ports);
      return { id: check.id, title: check.title, status: problems.length ? 'problems' : 'ok', problems, notes };
    }),
  );
  return { checks: reports };
}

/**
 * A lookup the identity may not make is a finding like the others (the deploy needs the permission too), so the
 * rest are still reported; anything else (unreachable, expired credentials) stops the preflight.
 */
export async function permitted<T>(what: () => Promise<T>, problems: Problem[]): Promise<T | undefined> {
  try {
    return await what();
  } catch (err) {
    const e = toHelloDeployError(err);
    if (e.code !== 'AWS_ACCESS_DENIED') throw e;
    problems.push({ message: e.message, fix: e.hint ?? 'grant the identity the permission named above' });
    return undefined;
  }
}
