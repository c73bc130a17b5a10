// Step 1. Every check that can fail later fails here first, each with its fix. The checks themselves live in
// prerequisites.ts, preflight.ts and service-linked-roles.ts, shared with the wizard's checklist and doctor; this
// step runs them in order and reports. Nothing is changed in AWS until the read-only checks have all passed: the
// preflight runs before the service-linked roles are made and before a certificate pair is imported.
import type { Step } from '../core/runner.ts';
import { checkSummary, preflightError } from '../domain/preflight/report.ts';
import { preflightPassed, type DeployContext } from './context.ts';
import { runPreflight, type ImageToCheck } from './preflight.ts';
import { PREFLIGHT_CHECKS } from './preflight-checks.ts';
import { checkCertificate, checkDocker, checkIdentity, checkTemplates, valueOf } from './prerequisites.ts';
import { checkImageArchitecture } from './image-architecture.ts';
import { dockerPlatform, platformName } from '../domain/architecture.ts';
import { shown } from '../domain/shown.ts';
import { ensureServiceLinkedRoles, roleLine } from './service-linked-roles.ts';
import { certificatePlan, checkRecordElsewhere, lookUpZone } from './domain-setup.ts';

export const checkPrerequisites: Step<DeployContext> = {
  id: 'prerequisites',
  title: 'Check prerequisites',
  after: [],
  describe: ({ options }) =>
    `Resolve AWS credentials (GetCallerIdentity), ${options.image ? `read the --image manifest (it must hold ${dockerPlatform(options.architecture)}) instead of checking Docker` : 'check the Docker engine answers'}, ` +
    'read both templates, run the preflight (no fixed name taken outside the stacks, quotas with room, a certificate the listener accepts), ' +
    `make sure the service-linked roles exist, and ${certificatePlan(options)}.`,
  async run({ options, ports, state, clock }, io) {
    valueOf(await checkTemplates(ports.files, [options.ecrTemplate, options.infraTemplate]));
    // The validate step, which runs beside this one, may have read them already.
    state.ecrTemplateBody ??= await ports.files.read(options.ecrTemplate);
    state.infraTemplateBody ??= await ports.files.read(options.infraTemplate);
    io.progress('templates present');

    const identity = valueOf(await checkIdentity(ports.identity));
    state.identity = identity;
    io.info(`AWS account ${identity.account} as ${identity.arn}, region ${identity.region}`);

    let imageChecked: ImageToCheck | undefined;
    if (options.image) {
      // Before the certificate import and any stack, and before the preflight: an image the tasks cannot run is a
      // usage error (exit 2), refused with nothing changed. The preflight's Image check is handed this result.
      const question = { image: options.image, architecture: options.architecture, ...(options.registry ? { registry: options.registry } : {}), ...(options.architectureFromHost ? { architectureFromHost: true } : {}) };
      const image = valueOf(await checkImageArchitecture(ports, question, io.signal));
      imageChecked = { ...question, checked: image };
      state.checkedImage = { digest: image.digest };
      if (image.platforms) io.info(`Docker not needed: --image ${shown(options.image, 200)} (${image.digest.slice(0, 19)}…) holds ${image.platforms.map(platformName).join(', ')}, which runs on ${options.architecture}`);
      else io.warn(`The architecture of --image ${shown(options.image, 200)} was not checked: ${image.unchecked}. On AWS it is read before any stack changes, and must hold ${dockerPlatform(options.architecture)}.`);
    } else {
      const { serverVersion } = valueOf(await checkDocker(ports.docker));
      io.progress(`Docker engine ${serverVersion} answers`);
    }

    io.progress('preflight: names, quotas, certificate');
    const report = await runPreflight(
      { ecosystem: options.ecosystem, identity, templates: { ecr: state.ecrTemplateBody, infra: state.infraTemplateBody }, ...(options.certificate.kind !== 'managed' ? { certificate: options.certificate } : {}), ...(imageChecked ? { image: imageChecked } : {}), now: new Date(clock.now()) },
      ports.preflight,
      PREFLIGHT_CHECKS,
    );
    const refused = preflightError(report);
    if (refused) throw refused;
    // A skipped check has nothing to tell a deploy: without --image the image is built here, for its --arch.
    for (const c of report.checks) if (c.status !== 'skipped') io.info(`Preflight ${checkSummary(c)}`);
    preflightPassed(state).open();

    // --domain's zone and records are read before anything is made (the roles included): a record of the name that
    // points elsewhere is refused with nothing changed.
    if (options.domain) {
      await lookUpZone({ options, ports, state }, io);
      await checkRecordElsewhere({ options, ports, state }, io);
    }

    for (const r of await ensureServiceLinkedRoles(ports.serviceRoles, state.infraTemplateBody)) io.info(`Service-linked role ${roleLine(r)}`);

    if (options.certificate.kind === 'managed') return { status: 'succeeded', summary: `${identity.account} / ${identity.region}` };
    const cert = valueOf(await checkCertificate(ports.certs, options.certificate, options.ecosystem));
    state.certificateArn = cert.arn;
    if (options.certificate.kind === 'arn') io.info(`Certificate ${cert.arn}${cert.domain ? ` for ${cert.domain}` : ''}${cert.notAfter ? `, expires ${cert.notAfter.toISOString()}` : ''}`);
    else io.info(`${cert.reused ? 'Reusing imported' : 'Imported'} certificate ${cert.arn}`);
    // ACM never renews imported certificates: the user has to rotate them.
    if (cert.expiry.state === 'expiring' || cert.expiry.state === 'expired') {
      io.warn(`The certificate expires in ${cert.expiry.daysLeft} days and ACM does not renew imported certificates: rotate it with \`hello-deploy generate-certs --import-acm --rotate <arn>\`.`);
    }
    return { status: 'succeeded', summary: `${identity.account} / ${identity.region}` };
  },
};
