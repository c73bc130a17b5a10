// Rehearsal step 1, in place of "Check prerequisites": the same checks against the emulator, except that a
// missing Docker engine is not an error (the image steps are skipped and the app runs under gunicorn), and the
// certificate pair is generated for the rehearsal when the user has none (theirs is never written to).
import { AbortError } from '../../core/errors.ts';
import type { Step } from '../../core/runner.ts';
import { emulatorPorts, type RehearsalStepCtx } from '../context.ts';
import type { DeployPorts } from '../../ports/deploy.ts';
import { makeDomainZone } from '../domain-zone.ts';

export const rehearsalPrerequisites: Step<RehearsalStepCtx<'generatePair' | 'fingerprintOf'>> = {
  id: 'prerequisites',
  title: 'Check prerequisites',
  after: ['emulator'],
  describe: ({ options, rehearsal: { options: ro, docker } }) => {
    const cert = options.certificate.kind === 'pair' ? options.certificate.certFile : '?';
    return `${ro.certificateSource === 'generated' ? `Generate a self-signed pair in the rehearsal folder (${cert})` : `Use your pair ${cert} (not modified)`} and import it into the emulator's ACM; ` +
      `read both templates; GetCallerIdentity on the emulator; ${options.domain ? `Route 53 CreateHostedZone in the emulator for ${options.domain.name}'s zone (deleted at teardown with its records); ` : ''}${docker.available ? `Docker engine ${docker.version}` : `no Docker engine (${docker.reason}): the image steps will be skipped`}.`;
  },
  async run(ctx, io) {
    const { options, state, rehearsal: r } = ctx;
    // The emulator's deploy ports, as the emulator step connected them; only these three.
    const ports: Pick<DeployPorts, 'files' | 'identity' | 'certs'> = emulatorPorts(r);
    if (options.certificate.kind !== 'pair') throw new AbortError('REHEARSAL_CERT', 'A rehearsal imports a local certificate pair into the emulator.', { hint: 'Pass --cert/--key, or nothing to generate one.' });
    const { certFile, keyFile } = options.certificate;
    // A kept rehearsal's generated pair is still in its folder: the listener serves it, so it is reused.
    if (r.options.certificateSource === 'generated' && !r.options.attach) {
      const { fingerprint } = await r.ports.generatePair(certFile, keyFile, r.options.domain);
      r.state.certFingerprint = fingerprint;
      io.info(`Generated a self-signed pair${r.options.domain ? ` for ${r.options.domain}` : ''} for this rehearsal: ${certFile} (SHA-256 ${fingerprint}); it goes with the rehearsal folder at teardown.`);
    } else {
      r.state.certFingerprint = await r.ports.fingerprintOf(certFile);
      io.info(`Using your pair ${certFile} (SHA-256 ${r.state.certFingerprint}); it is read, never written.`);
    }

    for (const path of [options.ecrTemplate, options.infraTemplate]) {
      if (!(await ports.files.readable(path))) throw new AbortError('TEMPLATE_MISSING', `Template ${path} is missing or unreadable.`, { hint: 'Run hello-deploy from the project folder, or reinstall the package.' });
    }
    state.ecrTemplateBody = await ports.files.read(options.ecrTemplate);
    state.infraTemplateBody = await ports.files.read(options.infraTemplate);
    io.progress('templates present');

    const identity = await ports.identity.whoAmI();
    state.identity = identity;
    io.info(`Emulated account ${identity.account} as ${identity.arn}, region ${identity.region}`);

    if (r.docker.available) io.progress(`Docker engine ${r.docker.version} answers`);
    else io.info(`No Docker engine (${r.docker.reason}): building, pushing and running the image are skipped; the app runs from ${r.options.appDir} under gunicorn instead.`);
    if (r.options.baseImageNote) io.info(r.options.baseImageNote);

    const imported = await ports.certs.importPair(certFile, keyFile, options.ecosystem);
    state.certificateArn = imported.arn;
    io.info(`${imported.reused ? 'Reusing imported' : 'Imported'} certificate ${imported.arn} (emulator ACM)`);
    await makeDomainZone(ctx, io);
    return { status: 'succeeded', summary: `${identity.account} / ${identity.region} (emulated)` };
  },
};
