// Step 1. Every check that can fail later fails here first, each with its fix.
import type { Step } from '../core/runner.ts';
import type { DeployContext } from './context.ts';
import { readTemplate } from './templates.ts';

export const checkPrerequisites: Step<DeployContext> = {
  id: 'prerequisites',
  title: 'Check prerequisites',
  after: [],
  describe: ({ options }) =>
    `Resolve AWS credentials (GetCallerIdentity), ${options.image ? 'skip the Docker check (--image given)' : 'check the Docker engine answers'}, ` +
    `read both templates, and ${options.certificate.kind === 'arn' ? `confirm certificate ${options.certificate.arn} exists in ACM` : `validate and import ${options.certificate.certFile} into ACM`}.`,
  async run({ options, ports, state }, io) {
    // The validate step, which runs beside this one, checks the templates themselves.
    state.ecrTemplateBody ??= await readTemplate(ports.files, options.ecrTemplate);
    state.infraTemplateBody ??= await readTemplate(ports.files, options.infraTemplate);
    io.progress('templates present');

    const identity = await ports.identity.whoAmI();
    state.identity = identity;
    io.info(`AWS account ${identity.account} as ${identity.arn}, region ${identity.region}`);

    if (options.image) {
      io.info(`Docker not needed: using prebuilt image ${options.image}`);
    } else {
      const { serverVersion } = await ports.docker.ping();
      io.progress(`Docker engine ${serverVersion} answers`);
    }

    if (options.certificate.kind === 'arn') {
      const cert = await ports.certs.describe(options.certificate.arn);
      state.certificateArn = cert.arn;
      io.info(`Certificate ${cert.arn}${cert.domain ? ` for ${cert.domain}` : ''}${cert.notAfter ? `, expires ${cert.notAfter.toISOString()}` : ''}`);
      warnIfExpiring(cert.notAfter, io.warn);
    } else {
      const imported = await ports.certs.importPair(options.certificate.certFile, options.certificate.keyFile, options.ecosystem);
      state.certificateArn = imported.arn;
      io.info(`${imported.reused ? 'Reusing imported' : 'Imported'} certificate ${imported.arn}`);
      warnIfExpiring(imported.notAfter, io.warn);
    }
    return { status: 'succeeded', summary: `${identity.account} / ${identity.region}` };
  },
};

function warnIfExpiring(notAfter: Date | undefined, warn: (m: string) => void): void {
  if (!notAfter) return;
  const days = Math.floor((notAfter.getTime() - Date.now()) / 86_400_000);
  // ACM never renews imported certificates: the user has to rotate them.
  if (days < 30) warn(`The certificate expires in ${days} days and ACM does not renew imported certificates: rotate it with \`hello-deploy generate-certs --import-acm --rotate <arn>\`.`);
}
