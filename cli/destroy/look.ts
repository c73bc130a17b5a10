// destroy's first step: find everything of the ecosystem (both stacks and what they hold, the repository's images,
// the ACM certificate hello-deploy imported for it, the saved answers) and name it before anything is deleted.
import type { Step } from '../core/runner.ts';
import { answersFile } from '../domain/answers-file.ts';
import { stackNames, resourceNames } from '../domain/names.ts';
import type { StackView } from '../ports/destroy.ts';
import type { DestroyContext } from './context.ts';
import type { Inventory, InventoryCertificate, InventoryDomain, InventoryStack } from './result.ts';
import { priceEcosystem } from '../domain/cost.ts';

/** The infra stack's parameter that holds the listener's certificate (infra/hello-world-infra.yaml). */
const CERT_PARAMETER = 'SSLCert';

const inventoryStack = (s: StackView): InventoryStack => ({
  name: s.name,
  status: s.status,
  resources: s.resources.filter((r) => r.status !== 'DELETE_COMPLETE').map((r) => ({ logicalId: r.logicalId, resourceType: r.resourceType, ...(r.physicalId ? { physicalId: r.physicalId } : {}) })),
});

/** The template's --domain resources (infra/hello-world-infra.yaml), as the infra stack holds them. */
export const DOMAIN_CERTIFICATE = 'DomainCertificate';
export const DOMAIN_RECORD = 'DomainRecord';

export function domainOf(infra: StackView | undefined): InventoryDomain | undefined {
  const name = infra?.parameters.DomainName;
  if (!infra || !name) return undefined;
  const live = (id: string) => infra.resources.find((r) => r.logicalId === id && r.status !== 'DELETE_COMPLETE')?.physicalId;
  const certificate = live(DOMAIN_CERTIFICATE);
  const record = live(DOMAIN_RECORD);
  const zoneId = infra.parameters.HostedZoneId;
  return { name, ...(certificate ? { certificate } : {}), ...(record ? { record } : {}), ...(record && zoneId ? { zoneId } : {}) };
}

export async function takeInventory(ctx: DestroyContext): Promise<Inventory> {
  const { options, ports } = ctx;
  const eco = options.ecosystem;
  const names = stackNames(eco);
  const repoName = resourceNames(eco).repository;
  const file = answersFile(options.cwd, eco);
  const [infra, ecr, images, managed, hasAnswers] = await Promise.all([
    ports.stacks.look(names.infra),
    ports.stacks.look(names.ecr),
    ports.images.count(repoName),
    ports.certificates.managed(eco),
    ctx.fileExists(file),
  ]);

  const certificates: InventoryCertificate[] = managed.map((c) => ({ arn: c.arn, ...(c.domain ? { domain: c.domain } : {}), action: 'delete' }));
  const listener = infra?.parameters[CERT_PARAMETER];
  if (listener && !certificates.some((c) => c.arn === listener)) {
    // The infra stack's certificate, not tagged as imported by hello-deploy for this ecosystem: someone else's.
    const c = await ports.certificates.describe(listener);
    if (c) certificates.push({ arn: c.arn, ...(c.domain ? { domain: c.domain } : {}), action: 'keep', reason: 'not imported by hello-deploy for this ecosystem (no ManagedBy=hello-deploy and Ecosystem tags)' });
  }
  const kept = certificates.filter((c) => c.action === 'keep').map((c) => `certificate ${c.arn}: ${c.reason}`);
  const repository = images === undefined ? undefined : { name: repoName, images, keep: options.keepImages };
  if (options.keepImages && (ecr || repository)) kept.push(`stack ${names.ecr} and repository ${repoName}${repository ? ` with its ${plural(repository.images, 'image')}` : ''} (--keep-images)`);
  const stacks = [infra, ecr].filter((s): s is StackView => s !== undefined).map(inventoryStack);
  const nothing = stacks.length === 0 && repository === undefined && !certificates.some((c) => c.action === 'delete') && !hasAnswers;
  const domain = domainOf(infra);
  const cost = infra && ctx.pricing ? priceEcosystem(ctx.pricing, infra.parameters, new Date()) : undefined;
  const saves = cost ? { monthly: cost.monthly, high: cost.high, tasks: { low: cost.tasks.low, high: cost.tasks.high }, architecture: cost.architecture, basis: cost.basis } : undefined;
  return { ecosystem: eco, stacks, ...(saves ? { saves } : {}), ...(repository ? { repository } : {}), certificates, ...(domain ? { domain } : {}), ...(hasAnswers ? { answersFile: file } : {}), kept, nothing };
}

export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export const look: Step<DestroyContext> = {
  id: 'look',
  title: 'Find what to delete',
  after: [],
  readOnly: true,
  describe: ({ options }) => {
    const n = stackNames(options.ecosystem);
    return `Look up stacks ${n.infra} and ${n.ecr} and what they hold (DescribeStacks, DescribeStackResources), the images in ${resourceNames(options.ecosystem).repository} (ECR ListImages), the ACM certificates tagged ManagedBy=hello-deploy for ${options.ecosystem}, and the saved answers.`;
  },
  async run(ctx) {
    const inventory = await takeInventory(ctx);
    ctx.state.inventory = inventory;
    ctx.report({ type: 'destroy-plan', ...inventory });
    if (inventory.nothing) return { status: 'succeeded', summary: `nothing of ecosystem ${inventory.ecosystem} exists: nothing to delete` };
    const resources = inventory.stacks.reduce((n, s) => n + s.resources.length, 0);
    return { status: 'succeeded', summary: `${plural(inventory.stacks.length, 'stack')} (${plural(resources, 'resource')})${inventory.repository ? `, ${plural(inventory.repository.images, 'image')}` : ''}, ${plural(inventory.certificates.filter((c) => c.action === 'delete').length, 'certificate')}${inventory.answersFile ? ', saved answers' : ''}` };
  },
};
