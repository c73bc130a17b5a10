// The preflight's checks (see preflight.ts for how they run): names, quotas, the certificate, the image. A new check
// is one more entry in PREFLIGHT_CHECKS.
import { certificateProblems } from '../domain/preflight/certificate.ts';
import { collision, samePhysical } from '../domain/preflight/names.ts';
import { QUOTAS, judgeQuota, resourcesOf, type QuotaSpec, type QuotaValue } from '../domain/preflight/quotas.ts';
import type { Problem } from '../domain/preflight/report.ts';
import { validatePair } from '../domain/certificates/pair.ts';
import { HelloDeployError, UsageError, toHelloDeployError } from '../core/errors.ts';
import { platformName } from '../domain/architecture.ts';
import { shown } from '../domain/shown.ts';
import { checkImageArchitecture } from './image-architecture.ts';
import type { UsagePort } from '../ports/preflight.ts';
import { permitted, type PreflightCheck } from './preflight.ts';

/** No resource the stacks create by a fixed name exists outside them. */
export const namesCheck: PreflightCheck = {
  id: 'names',
  title: 'Names',
  async run(_input, facts, ports) {
    const problems: Problem[] = [];
    const found = await Promise.all(facts.names.map((n) => permitted(() => ports.names.find(n.kind, n.name, facts.where), problems)));
    let free = 0;
    facts.names.forEach((n, i) => {
      const existing = found[i];
      if (!existing) return void (free += 1);
      // A re-deploy: the resource is the one our own stack holds under that logical id.
      const physical = facts.owned[n.stack]?.get(n.logicalId);
      if (physical !== undefined && samePhysical(physical, existing)) return void (free += 1);
      problems.push(collision(n, facts.stackNames[n.stack], facts.where));
    });
    return { problems, notes: [`${free} of ${facts.names.length} fixed names free or already this ecosystem's (${facts.names.map((n) => n.name).join(', ')})`] };
  },
};

const USAGE: Record<QuotaSpec['id'], (u: UsagePort) => Promise<number>> = {
  vpcs: (u) => u.vpcs(),
  'application-load-balancers': (u) => u.applicationLoadBalancers(),
  'target-groups': (u) => u.targetGroups(),
};

/** The regional quotas the infra stack consumes have room for what this deploy adds. */
export const quotasCheck: PreflightCheck = {
  id: 'quotas',
  title: 'Quotas',
  async run(input, facts, ports) {
    const problems: Problem[] = [];
    const notes: string[] = [];
    const resources = resourcesOf(input.templates.infra);
    // A re-deploy adds nothing the stack already holds.
    const added = resources.filter((r) => !facts.owned.infra?.has(r.logicalId));
    await Promise.all(
      QUOTAS.map(async (spec) => {
        const needed = spec.consumedBy(added);
        const [answer, used] = await Promise.all([ports.quotas.quota(spec.serviceCode, spec.quotaCode), permitted(() => USAGE[spec.id](ports.usage), problems)]);
        if (used === undefined) return;
        const quota: QuotaValue = 'value' in answer ? answer : { value: spec.documentedDefault, from: 'documented', why: answer.unavailable };
        const judged = judgeQuota({ spec, quota, used, needed }, facts.where.region);
        notes.push(judged.note);
        if (judged.problem) problems.push(judged.problem);
      }),
    );
    // Reported in the specs' order, whichever answered first.
    notes.sort((a, b) => QUOTAS.findIndex((q) => a.startsWith(q.title)) - QUOTAS.findIndex((q) => b.startsWith(q.title)));
    return { problems, notes };
  },
};

/** The certificate fits an ALB HTTPS listener. */
export const certificateCheck: PreflightCheck = {
  id: 'certificate',
  title: 'Certificate',
  skip: (input) => (input.certificate ? undefined : 'no certificate given: pass --cert-arn, or --cert and --key'),
  async run(input, facts, ports) {
    const cert = input.certificate!;
    if (cert.kind === 'pair') {
      // Imported into the region of the deploy by the prerequisites, after this check: its own rules are ACM's and
      // the listener's (key type and size, validity, names), checked on the files without importing anything.
      // A file that went (or lost its permissions) after the options found it readable is a problem with its fix,
      // not a bug report: only validatePair's own errors arrive here as HelloDeployErrors.
      const read = (file: string, code: 'CERT_UNREADABLE' | 'KEY_UNREADABLE') =>
        ports.files.read(file).catch((err: unknown) => {
          if (err instanceof HelloDeployError) throw err;
          throw new UsageError(code, `${shown(file, 160)} cannot be read: ${err instanceof Error ? err.message : String(err)}`, { hint: 'make the file readable again, or make a new pair with `hello-deploy generate-certs --force`' });
        });
      try {
        const { info } = validatePair(await read(cert.certFile, 'CERT_UNREADABLE'), await read(cert.keyFile, 'KEY_UNREADABLE'), { now: input.now, labels: { cert: cert.certFile, key: cert.keyFile } });
        const names = [...new Set([info.commonName, ...info.sans].filter((n): n is string => !!n))];
        const problems: Problem[] = names.length ? [] : [{ message: `${shown(cert.certFile)} covers no name (no common name and no subjectAltName)`, fix: 'make a new pair with `hello-deploy generate-certs --force --common-name <your domain>`' }];
        return { problems, notes: [`${shown(cert.certFile)}: ${info.keyDescription}, valid until ${info.notAfter.toISOString()}, for ${names.join(', ') || 'no name'}`] };
      } catch (err) {
        const e = toHelloDeployError(err);
        return { problems: [{ message: e.message, fix: e.hint ?? 'make a new pair with `hello-deploy generate-certs --force`' }], notes: [] };
      }
    }
    // A certificate of another region cannot even be looked up from this one: that alone is the problem.
    const elsewhere = certificateProblems({ arn: cert.arn, domain: '-' }, facts.where.region, input.now);
    if (elsewhere.length) return { problems: elsewhere, notes: [] };
    const problems: Problem[] = [];
    let described;
    try {
      described = await permitted(() => ports.certs.describe(cert.arn), problems);
    } catch (err) {
      const e = toHelloDeployError(err);
      if (e.code !== 'ACM_CERTIFICATE_NOT_FOUND') throw e;
      return { problems: [{ message: e.message, fix: e.hint ?? 'pass the ARN of a certificate in this account and region' }], notes: [] };
    }
    if (!described) return { problems, notes: [] };
    problems.push(...certificateProblems(described, facts.where.region, input.now));
    return { problems, notes: [`${cert.arn}: ${described.keyAlgorithm ?? 'key type not reported'}, ${described.status ?? 'status not reported'}${described.notAfter ? `, valid until ${described.notAfter.toISOString()}` : ''}, for ${[described.domain, ...(described.names ?? [])].filter(Boolean).join(', ') || 'no name'}`] };
  },
};

/** What the image check reports as a finding, with its fix; any other error (the registry unreachable) stops the preflight. */
const IMAGE_FINDINGS = new Set(['IMAGE_ARCH_MISMATCH', 'IMAGE_NOT_FOUND', 'AWS_ACCESS_DENIED']);

/**
 * The --image holds a platform the tasks can run (checkImageArchitecture). The deploy reads the manifest earlier
 * and refuses a mismatch there with exit 2, so it hands its result in `checked` and nothing is read twice; doctor
 * and the wizard have it read here, and a mismatch is a problem like the others (exit 1).
 */
export const imageCheck: PreflightCheck = {
  id: 'image',
  title: 'Image',
  skip: (input) => (input.image ? undefined : 'no --image given: a deploy builds the image for its --arch'),
  async run(input, _facts, ports) {
    const q = input.image!;
    const r = q.checked ? { ok: true as const, value: q.checked } : await checkImageArchitecture(ports, q);
    if (!r.ok) {
      if (!IMAGE_FINDINGS.has(r.error.code)) throw r.error;
      return { problems: [{ message: r.error.message, fix: r.error.hint ?? 'pass an --image this identity can read' }], notes: [] };
    }
    const { digest, platforms, unchecked } = r.value;
    // An emulator's ECR may not say: a note, never passed off as checked.
    if (!platforms) return { problems: [], notes: [`not checked: ${unchecked ?? 'the registry did not say'}`] };
    return { problems: [], notes: [`${shown(q.image, 200)} (${digest.slice(0, 19)}…) holds ${platforms.map(platformName).join(', ')}, which runs on ${q.architecture}`] };
  },
};

/** Every check the preflight runs, in the order they are reported. */
export const PREFLIGHT_CHECKS: readonly PreflightCheck[] = [namesCheck, quotasCheck, certificateCheck, imageCheck];
