// deploy --local --domain on the launcher: a public hosted zone in the emulator's Route 53 for the name's parent (or
// the name itself when it has two labels), so the infra stack gets HostedZoneId as a real deploy with a Route 53 zone
// does: the launcher's ACM model writes the validation CNAME there and issues the certificate, and CloudFormation
// creates the alias record. Teardown deletes the zone with every record in it (the stack's alias and the validation
// CNAME, which deleting a stack does not remove) through a Running entry, unless --keep.
import { BugError } from '../core/errors.ts';
import type { StepIO } from '../core/runner.ts';
import { emulatorPorts, type RehearsalStepCtx } from './context.ts';
import { findHostedZone } from '../steps/domain-zone.ts';

/** The zone a rehearsal makes for a name: its parent (app.example.com → example.com), or the name of two labels. */
export const rehearsalZoneName = (name: string): string => (name.split('.').length > 2 ? name.slice(name.indexOf('.') + 1) : name);

export async function makeDomainZone(ctx: RehearsalStepCtx, io: StepIO): Promise<void> {
  const { options, state, rehearsal: r } = ctx;
  const name = options.domain?.name;
  if (!name) return;
  const live = r.state.live;
  const admin = live?.dnsAdmin;
  if (!admin) throw new BugError('deploy --local --domain: the emulator was connected without its Route 53 zone port.');
  const ports = emulatorPorts(r);
  // A kept rehearsal made it already: the same zone, so the stack's HostedZoneId does not change.
  const found = await findHostedZone(ports.dns, name, io.signal);
  const zone = found ?? (await admin.createPublicZone(rehearsalZoneName(name), { signal: io.signal }));
  state.hostedZone = { id: zone.id, name: zone.name };
  io.info(`${found ? 'Using' : 'Made'} the public hosted zone ${zone.name} (${zone.id}) in the emulator's Route 53: the infra stack validates its ACM certificate for ${name} through it and creates the alias record there.`);
  r.state.running.push({
    what: `hosted zone ${zone.name} (emulator Route 53)`,
    stopHint: `aws route53 delete-hosted-zone --id ${zone.id} --endpoint-url <the emulator> (after deleting its records)`,
    stop: async () => {
      await admin.deleteZone(zone.id);
    },
    killNow: () => undefined,
    release: () => undefined,
  });
}
