// Rehearsal step. Put a real TLS-terminating proxy (HAProxy) in front of the running app, configured from what the
// emulator holds for the deployed ALB (listener port, certificate, TLS policy; target group health check and
// deregistration delay), register the app as the group's target in the emulated ELBv2, and probe through the
// proxy as a user's browser would: / says "hello world", the health check passes, the certificate is the
// listener's, TLS 1.1 and plain HTTP are refused. Without HAProxy it is skipped and the direct probes stand.
import { AbortError, BugError, InterruptedError } from '../../core/errors.ts';
import type { Step } from '../../core/runner.ts';
import { stackNames } from '../../domain/names.ts';
import type { RehearsalStepCtx } from '../context.ts';
import type { LoadBalancerProbes } from '../events.ts';
import { matcherAccepts } from '../task-spec.ts';
import { GREETING } from './run-app.ts';

/** Health-check interval/timeout and deregistration delay run ten times faster than the template's. */
export const LB_TIME_SCALE = 0.1;
const HEALTHY_TIMEOUT_MS = 30_000;
/** Seconds at the rehearsal's pace, printed without float noise (30 × 0.1 is 3, not 3.0000000000000004). */
const scaled = (seconds: number) => Number((seconds * LB_TIME_SCALE).toFixed(3));

export const startLoadBalancer: Step<RehearsalStepCtx<'loadBalancer' | 'freePort' | 'httpsGet'>> = {
  id: 'start-load-balancer',
  title: 'Serve traffic through the load balancer',
  after: ['run-app', 'roll-out'],
  describe: () =>
    'Start HAProxy on a free 127.0.0.1 port as the ALB: the listener certificate (from the emulated ACM), its TLS policy and the target group health check, read from the emulator; register the app as its target; probe /, the health check, the certificate, TLS 1.1 and plain HTTP through it.',
  async run(ctx, io) {
    const { options, rehearsal: r } = ctx;
    const lb = r.ports.loadBalancer;
    const haproxy = lb?.haproxy();
    if (!lb || !haproxy) return { status: 'skipped', reason: 'HAProxy is not installed (npm run setup installs it): the app was probed directly, not through a load balancer' };
    const { app, emulator, probes } = r.state;
    if (!app || !emulator || !probes) throw new BugError('the load balancer step ran before the app and the emulator');
    if (options.certificate.kind !== 'pair') throw new BugError('a rehearsal always has a certificate pair');
    const endpoint = emulator.info.endpoint;

    const read = await lb.read(endpoint, stackNames(options.ecosystem).infra);
    const expected = r.state.certFingerprint ?? '';
    // With --domain the listener presents the stack's ACM-issued DomainCertificate, whose key ACM never releases: the
    // proxy serves the rehearsal's pair for the name instead, and the report says so (below).
    const domain = r.options.domain;
    if (!domain && read.listener.certificateFingerprint !== expected) {
      throw new AbortError('LB_PROBE_FAILED', `The listener's certificate in the emulated ACM (${read.listener.certificateFingerprint || 'none'}) is not the rehearsal's pair (${expected}).`, { hint: 'The infra stack must use the certificate the rehearsal imported (SSLCert).' });
    }
    const target = { id: '127.0.0.1', port: probes.port.used };
    // A kept rehearsal's HAProxy (adopted by the roll-out step) already routes to the service's tasks.
    let started = r.state.lb;
    const port = started?.port ?? (await r.ports.freePort());
    if (!started) {
      await lb.registerTarget(endpoint, read.targetGroup.arn, target);
      const spec = { ...read, targets: [target] };
      started = await lb.start({ haproxy, spec, certFile: options.certificate.certFile, keyFile: options.certificate.keyFile, port, timeScale: LB_TIME_SCALE }, io.signal);
      r.state.running.push(started);
      r.state.lb = started;
    }
    // Said in the fidelity report too: the timings are the template's, but not at the template's pace.
    r.state.skipped.push({ what: 'load balancer timings', reason: `health checks every ${scaled(read.targetGroup.healthCheck.intervalSeconds)} s (template: ${read.targetGroup.healthCheck.intervalSeconds} s) and a deregistration delay of at most ${scaled(read.targetGroup.deregistrationDelaySeconds)} s (as the emulator holds it: ${read.targetGroup.deregistrationDelaySeconds} s): scaled by ${LB_TIME_SCALE}` });
    io.info(`Load balancer: HAProxy on ${started.url} stands in for the listener's port ${read.listener.port} (${read.listener.sslPolicy}: ${read.listener.minTls} and up); health checks and the ${read.targetGroup.deregistrationDelaySeconds} s deregistration delay scaled by ${LB_TIME_SCALE}.`);

    // Until the target is healthy (its healthy threshold of checks), as ELB: each change reported to the emulator.
    let reported = true;
    let last = '';
    const deadline = ctx.clock.now() + HEALTHY_TIMEOUT_MS;
    for (;;) {
      const views = await started.targetHealth();
      const now = views.map((v) => `${v.state}${v.reason ? ` (${v.reason})` : ''}`).join(', ');
      if (now !== last) {
        io.progress(`target 127.0.0.1:${target.port}: ${now}`);
        reported = await lb.reportTargetHealth(endpoint, read.targetGroup.arn, views).catch(() => false);
        last = now;
      }
      if (views.length > 0 && views.every((v) => v.state === 'healthy')) break;
      if (io.signal.aborted) throw new InterruptedError('Interrupted while the load balancer checked the target.');
      if (ctx.clock.now() > deadline) {
        throw new AbortError('LB_PROBE_FAILED', `The target 127.0.0.1:${target.port} never turned healthy behind the load balancer: ${now} (${views.map((v) => v.description ?? v.haproxy).join('; ')}).\n${await started.logTail()}`, { hint: `The target group checks ${read.targetGroup.healthCheck.protocol} ${read.targetGroup.healthCheck.path} and expects ${read.targetGroup.healthCheck.matcher}.` });
      }
      await ctx.clock.sleep(100, io.signal);
    }
    if (!reported) io.warn("The emulator takes no target-health reports (plain moto): its DescribeTargetHealth answers its own fixed state.");

    // With --domain, as a browser on that name: the domain as SNI and Host. What a loopback proxy with a self-signed
    // pair cannot stand in for is said in the report rather than passed over.
    if (domain) {
      r.state.skipped.push(
        { what: 'public DNS resolution', reason: `${domain} is not resolved: the probes connect to 127.0.0.1 and send ${domain} as SNI and Host; the alias record is only what the emulator's Route 53 holds` },
        { what: 'ACM issuance and renewal', reason: 'the emulator\'s certificate is issued without a real DNS validation and never renews; ACM releases no private key, so the proxy serves the rehearsal\'s own pair for the name' },
        { what: 'a trusted chain', reason: `the pair for ${domain} is self-signed: browsers would warn here, where on AWS the ACM certificate chains to a public root` },
      );
    }
    const get = (p: string) => r.ports.httpsGet(`${started.url}${p}`, 5_000, domain ? { servername: domain } : {});
    const [root, health] = [await get('/'), await get(read.targetGroup.healthCheck.path)];
    const result: LoadBalancerProbes = {
      url: started.url,
      port: { template: read.listener.port, used: port },
      sslPolicy: read.listener.sslPolicy,
      minTls: read.listener.minTls,
      root: { path: '/', status: root.status, body: root.body.slice(0, 200), ok: root.status === 200 && root.body.trim() === GREETING },
      health: { path: read.targetGroup.healthCheck.path, status: health.status, body: health.body.slice(0, 200), ok: matcherAccepts(read.targetGroup.healthCheck.matcher, health.status) },
      servedFingerprint: root.fingerprint,
      listenerFingerprint: read.listener.certificateFingerprint,
      fingerprintMatches: root.fingerprint !== '' && root.fingerprint === (domain ? expected : read.listener.certificateFingerprint),
      tls11Refused: (await lb.handshake(port, 'TLSv1.1')) === undefined,
      plainHttpRefused: !(await lb.plainHttpAnswered(port)),
      timeScale: LB_TIME_SCALE,
      ...(domain ? { servername: domain } : {}),
      targetHealth: await lb.describeTargetHealth(endpoint, read.targetGroup.arn),
    };
    r.state.loadBalancer = result;
    const problems = [
      ...(result.root.ok ? [] : [`GET / answered ${root.status}, not 200 "${GREETING}"`]),
      ...(result.health.ok ? [] : [`GET ${result.health.path} answered ${health.status}`]),
      ...(result.fingerprintMatches ? [] : [`the certificate served (${root.fingerprint || 'none'}) is not ${domain ? `the rehearsal's pair for ${domain}` : 'the listener\'s'}`]),
      ...(result.tls11Refused ? [] : ['a TLS 1.1 handshake was accepted']),
      ...(result.plainHttpRefused ? [] : ['plain HTTP was answered']),
    ];
    if (problems.length) throw new AbortError('LB_PROBE_FAILED', `Through the load balancer at ${started.url}: ${problems.join('; ')}.\n${await started.logTail()}`, { hint: 'Read the HAProxy log above (haproxy.log in the rehearsal folder).' });
    return { status: 'succeeded', summary: `${started.url} (listener ${read.listener.port}): / → 200, ${result.health.path} → ${health.status}, listener certificate served, TLS 1.1 and plain HTTP refused` };
  },
};
