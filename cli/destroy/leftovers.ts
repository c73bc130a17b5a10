// destroy's last step, read only: prove that nothing of the ecosystem is left. CloudFormation deletes what a deleted
// stack held, but not what it was told to retain, nor a log group the awslogs driver re-created while the tasks
// drained, nor something made outside the stacks under one of their names; and an emulator's CloudFormation may not
// delete some types at all. So, once both stacks are gone, this looks up every resource the two templates create
// under a fixed name, with the preflight's own names and lookups, and the infra stack's unnamed network by the tag
// CloudFormation put on it, and names each one still there with the command that deletes it.
import type { Step } from '../core/runner.ts';
import { AbortError, toHelloDeployError } from '../core/errors.ts';
import { certificateLeftover, classifyLeftovers, namedLeftover, networkLeftover, recordLeftover, type Leftover } from '../domain/leftovers.ts';
import { DOMAIN_CERTIFICATE, DOMAIN_RECORD } from './look.ts';
import { stackNames } from '../domain/names.ts';
import { fixedNamesOf, type NameContext } from '../domain/preflight/names.ts';
import { shown } from '../domain/shown.ts';
import { partitionOf } from '../steps/preflight.ts';
import { readTemplate } from '../steps/templates.ts';
import type { DestroyContext } from './context.ts';
import { plural } from './look.ts';

export interface LeftoverFindings {
  /** Still there, in the order they can be deleted: on an emulator, its known gaps come marked `emulatorGap`. */
  gaps: Leftover[];
  real: Leftover[];
  /** What was not looked for, and why (--keep-images; resources the run retained, listed under `retained`). */
  notChecked: string[];
  /** Lookups the identity may not make (AccessDenied): nothing can be said about those. */
  unreadable: string[];
}

/** Retained resources, as `stack/logicalId`: they are in the result's `retained`, so never counted as left over. */
export const retainedKey = (stack: string, logicalId: string) => `${stack}/${logicalId}`;

/**
 * --domain's certificate and alias record (the infra stack's DomainCertificate and DomainRecord, by the physical ids
 * the inventory read before deleting): CloudFormation deletes both with the stack, so either still there is a leftover.
 */
async function domainLeftovers(ctx: DestroyContext, region: string, retained: Set<string>, notChecked: string[], permitted: <T>(what: string, f: () => Promise<T>) => Promise<T | undefined>): Promise<Leftover[]> {
  const d = ctx.state.inventory?.domain;
  if (!d) return [];
  const infra = stackNames(ctx.options.ecosystem).infra;
  const out: Leftover[] = [];
  const cert = d.certificate;
  if (cert && retained.has(retainedKey(infra, DOMAIN_CERTIFICATE))) notChecked.push(`${DOMAIN_CERTIFICATE} (AWS::CertificateManager::Certificate) ${cert}: retained`);
  else if (cert && (await permitted(`the certificate ${cert}`, () => ctx.ports.certificates.describe(cert)))) out.push(certificateLeftover(cert, d.name, region, ctx.options.endpointUrl));
  if (d.record && d.zoneId) {
    const dns = ctx.ports.leftovers.dns;
    if (retained.has(retainedKey(infra, DOMAIN_RECORD))) notChecked.push(`${DOMAIN_RECORD} (AWS::Route53::RecordSet) ${d.record}: retained`);
    else if (!dns) notChecked.push(`${DOMAIN_RECORD} (AWS::Route53::RecordSet) ${d.record}: no Route 53 reads wired`);
    else {
      const zoneId = d.zoneId;
      const records = (await permitted(`the record ${d.record}`, () => dns.records(zoneId, d.record!))) ?? [];
      // Only the alias A record the template makes: another record of the name is not ours to report.
      for (const r of records.filter((x) => x.type === 'A' && x.aliasTarget !== undefined)) out.push(recordLeftover(zoneId, r, ctx.options.endpointUrl));
    }
  }
  return out;
}

export async function findLeftovers(ctx: DestroyContext): Promise<LeftoverFindings> {
  const { options, state } = ctx;
  const ports = ctx.ports.leftovers;
  const stacks = stackNames(options.ecosystem);
  const [id, ecrBody, infraBody] = await Promise.all([ports.identity.whoAmI(), readTemplate(ports.files, options.ecrTemplate), readTemplate(ports.files, options.infraTemplate)]);
  const where: NameContext = { ecosystem: options.ecosystem, region: id.region, account: id.account, partition: partitionOf(id.arn) };
  const retained = new Set(state.retainedIds ?? []);
  const notChecked: string[] = [];
  if (options.keepImages) notChecked.push(`stack ${stacks.ecr} and its repository (--keep-images)`);
  const fixed = [...(options.keepImages ? [] : fixedNamesOf(ecrBody, 'ecr', where)), ...fixedNamesOf(infraBody, 'infra', where)].filter((n) => {
    const kept = retained.has(retainedKey(stacks[n.stack], n.logicalId));
    if (kept) notChecked.push(`${n.logicalId} (${n.type}) ${n.name}: retained`);
    return !kept;
  });

  const unreadable: string[] = [];
  // As in the preflight, a lookup the identity may not make is said, not fatal: destroy has done its deleting.
  const permitted = async <T>(what: string, f: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await f();
    } catch (err) {
      const e = toHelloDeployError(err);
      if (e.code !== 'AWS_ACCESS_DENIED') throw e;
      unreadable.push(`${what}: ${e.message}`);
      return undefined;
    }
  };
  const [named, network] = await Promise.all([
    Promise.all(fixed.map(async (n) => {
      const hit = await permitted(`the ${n.label} ${n.name}`, () => ports.names.find(n.kind, n.name, where));
      return hit ? [namedLeftover(n, hit, where, options.endpointUrl)] : [];
    })),
    permitted(`the network of stack ${stacks.infra}`, () => ports.network.ofStack(stacks.infra)),
  ]);
  const tagged = (network ?? []).filter((r) => {
    const kept = r.logicalId !== undefined && retained.has(retainedKey(stacks.infra, r.logicalId));
    if (kept) notChecked.push(`${r.logicalId} (${r.type}) ${r.id}: retained`);
    return !kept;
  });
  const found = [...named.flat(), ...tagged.map((r) => networkLeftover(r, where.region, options.endpointUrl)), ...(await domainLeftovers(ctx, where.region, retained, notChecked, permitted))];
  return { ...classifyLeftovers(found, options.endpointUrl !== undefined), notChecked, unreadable };
}

const line = (l: Leftover) => `${l.type} ${shown(l.name, 200)}${l.id && l.id !== l.name ? ` (${shown(l.id, 300)})` : ''}`;

export const checkLeftovers: Step<DestroyContext> = {
  id: 'check-leftovers',
  title: 'Check nothing is left',
  after: ['remove-answers'],
  readOnly: true,
  describe: ({ options }) =>
    `Look up every resource the two templates name for ${options.ecosystem} (the preflight's lookups${options.keepImages ? '; not the ECR stack\'s, kept by --keep-images' : ''}) and the infra stack's VPC, subnets, internet gateway, security groups and route tables (EC2, tag aws:cloudformation:stack-name); any still there is named with the command that deletes it.`,
  async run(ctx, io) {
    const { options, state } = ctx;
    const eco = options.ecosystem;
    const { gaps, real, notChecked, unreadable } = await findLeftovers(ctx);
    state.leftovers = [...gaps, ...real];
    state.verified = gaps.length === 0 && real.length === 0 && unreadable.length === 0;
    for (const n of notChecked) io.info(`not checked: ${n}`);
    for (const u of unreadable) io.warn(`could not check ${u}`);
    if (gaps.length) {
      io.warn(`${plural(gaps.length, 'resource')} of ${eco} left in the emulator: moto's CloudFormation does not delete these; on AWS CloudFormation does.\n${gaps.map((g) => `    ${line(g)}`).join('\n')}`);
    }
    if (real.length) {
      throw new AbortError('LEFTOVERS', `${plural(real.length, 'resource')} of ${eco} ${real.length === 1 ? 'is' : 'are'} still there after its stacks were deleted:\n${real.map((l) => `  - ${line(l)}`).join('\n')}`, {
        hint: `Delete ${real.length === 1 ? 'it' : 'them, in this order'} (check first that nothing else uses ${real.length === 1 ? 'it' : 'them'}):\n${real.map((l) => `  ${l.deleteCommand}`).join('\n')}`,
      });
    }
    if (unreadable.length) return { status: 'succeeded', summary: `not verified: ${plural(unreadable.length, 'lookup')} not permitted` };
    if (gaps.length) return { status: 'succeeded', summary: `only the emulator's known gaps are left (${plural(gaps.length, 'resource')})` };
    return { status: 'succeeded', summary: `nothing of ${eco} is left` };
  },
};
