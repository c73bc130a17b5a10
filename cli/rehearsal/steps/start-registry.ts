// Rehearsal step. A local registry stands in for ECR (whose emulated endpoint stores no images): it is started
// with exactly the credentials the emulator's GetAuthorizationToken returns, so the login step that follows is
// the real `token → docker login --password-stdin` exchange. Loopback only.
import type { Step } from '../../core/runner.ts';
import { emulatorPorts, type RehearsalStepCtx } from '../context.ts';

export const startLocalRegistry: Step<RehearsalStepCtx<'startRegistry' | 'adopt'>> = {
  id: 'local-registry',
  title: 'Start the local registry',
  after: ['prerequisites'],
  describe: ({ rehearsal: { docker } }) =>
    docker.available ? 'Start a registry on 127.0.0.1 (docker-registry where installed, else a registry container) with the credentials the emulated ECR hands out.' : `Skipped: no Docker engine (${docker.reason}).`,
  async run(ctx, io) {
    const r = ctx.rehearsal;
    if (!r.docker.available) return { status: 'skipped', reason: `no Docker engine: ${r.docker.reason}; nothing to push` };
    const token = await emulatorPorts(r).ecrAuth.getLogin();
    const kept = r.options.attach?.registry;
    const adopted = kept ? await r.ports.adopt?.registry(kept) : undefined;
    if (kept && !adopted) io.warn(`The kept rehearsal's registry (${kept.host}) is gone: a new one starts.`);
    const registry = adopted ?? (await r.ports.startRegistry({ username: token.username, password: token.password }));
    // Where the image steps push from now on (deployView reads it from here).
    r.state.registry = registry;
    r.state.running.push(registry);
    const who = registry.pid ? `pid ${registry.pid}` : registry.containerId ? `container ${registry.containerId.slice(0, 12)}` : registry.runs;
    io.info(`The emulated ECR's repository URI (${token.registry}) stores no images; pushes go to ${registry.host} instead.`);
    return { status: 'succeeded', summary: `${registry.runs} on ${registry.host} (${who}), login user ${token.username}` };
  },
};
