// doctor's three steps: who we are (and the templates), the service-linked roles (looked up, never created), and
// the preflight the deploy runs. Nothing here writes; a problem fails the preflight step as it fails a deploy. The
// steps are not marked readOnly on purpose: doctor waits for every one, so its report is whole.
import type { Step } from '../core/runner.ts';
import { dockerPlatform } from '../domain/architecture.ts';
import { preflightError } from '../domain/preflight/report.ts';
import { runPreflight } from '../steps/preflight.ts';
import { PREFLIGHT_CHECKS } from '../steps/preflight-checks.ts';
import { checkIdentity, checkTemplates, valueOf } from '../steps/prerequisites.ts';
import { lookServiceLinkedRoles, roleLine } from '../steps/service-linked-roles.ts';
import type { DoctorContext } from './context.ts';
import { domainCheck } from './domain.ts';

const credentials: Step<DoctorContext> = {
  id: 'credentials',
  title: 'Check credentials',
  after: [],
  describe: ({ options }) => `Read both templates and ask STS who you are (GetCallerIdentity)${options.endpointUrl ? ` at ${options.endpointUrl}` : ''}.`,
  async run({ options, ports, state }, io) {
    valueOf(await checkTemplates(ports.files, [options.ecrTemplate, options.infraTemplate]));
    state.templates = { ecr: await ports.files.read(options.ecrTemplate), infra: await ports.files.read(options.infraTemplate) };
    const identity = valueOf(await checkIdentity(ports.identity));
    state.identity = identity;
    io.info(`AWS account ${identity.account} as ${identity.arn}, region ${identity.region}`);
    return { status: 'succeeded', summary: `${identity.account} / ${identity.region}` };
  },
};

const roles: Step<DoctorContext> = {
  id: 'service-linked-roles',
  title: 'Look up the service-linked roles',
  after: ['credentials'],
  describe: () => 'IAM GetRole for each service-linked role the infra stack relies on (a missing one is created by the next deploy, never by doctor).',
  async run({ ports, state }, io) {
    state.roles = await lookServiceLinkedRoles(ports.roles, state.templates!.infra);
    for (const r of state.roles) io.info(roleLine(r));
    const missing = state.roles.filter((r) => r.state !== 'present').length;
    return { status: 'succeeded', summary: missing ? `${missing} of ${state.roles.length} to be created by the deploy` : `all ${state.roles.length} exist` };
  },
};

const preflight: Step<DoctorContext> = {
  id: 'preflight',
  title: 'Preflight',
  after: ['credentials'],
  describe: ({ options }) =>
    `The deploy's preflight for ecosystem ${options.ecosystem}: no fixed name taken outside its stacks, quotas with room, ${options.certificate ? 'a certificate the listener accepts' : 'the certificate skipped (none given)'}, ${options.image ? `an --image that holds ${dockerPlatform(options.image.architecture)}` : 'the image skipped (no --image)'}.`,
  async run({ options, ports, state, clock }, io) {
    const report = await runPreflight(
      { ecosystem: options.ecosystem, identity: state.identity!, templates: state.templates!, ...(options.certificate ? { certificate: options.certificate } : {}), ...(options.image ? { image: options.image } : {}), now: new Date(clock.now()) },
      ports.preflight,
      PREFLIGHT_CHECKS,
    );
    state.report = report;
    // What each check found is in the result (every note, every problem); here only how it went.
    for (const c of report.checks) io.progress(`${c.title}: ${c.status === 'problems' ? `${c.problems.length} problem(s)` : c.status}`);
    const refused = preflightError(report, 'Fix each problem above with its fix, then run doctor again (or deploy: it runs the same preflight first).');
    if (refused) throw refused;
    return { status: 'succeeded', summary: report.checks.map((c) => `${c.title} ${c.status === 'skipped' ? 'skipped' : '✔'}`).join(', ') };
  },
};

export const doctorSteps: Step<DoctorContext>[] = [credentials, roles, preflight, domainCheck];
