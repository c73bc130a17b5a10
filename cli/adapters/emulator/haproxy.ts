// HAProxy as the rehearsal's ALB: the configuration rendered from what the emulator holds for the listener and the
// target group, and the reading of HAProxy's stats CSV back into the target health ELB would report. Pure
// functions, so the mapping is unit-tested without HAProxy.
import type { LoadBalancerSpec, TargetHealthView } from '../../ports/rehearsal.ts';

/**
 * The minimum TLS version of an ELB security policy, from its name: the TLS13-1-x and TLS-1-x/FS-1-x families
 * name it; the older dated policies (2016-08, FS-2018-06, …) accept TLS 1.0. Source: the policy table at
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html
 * Undefined for a name this table does not know: the caller refuses rather than guess.
 */
export function minTlsVersion(policy: string): 'TLSv1.0' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3' | undefined {
  const m = /^ELBSecurityPolicy-(?:TLS13-|TLS-|FS-)1-([0-3])(?:-|$)/.exec(policy);
  if (m) return `TLSv1.${m[1]}` as 'TLSv1.0';
  if (/^ELBSecurityPolicy-(?:2016-08|2015-05|2015-03|2015-02|FS-2018-06)$/.test(policy)) return 'TLSv1.0';
  return undefined;
}

/** An ELB matcher ("200", "200,202", "200-299") as HAProxy's http-check expect regex over the status. */
export function matcherRegex(matcher: string): string {
  const alts = matcher.split(',').map((part) => part.trim()).flatMap((part) => {
    const range = /^(\d{3})-(\d{3})$/.exec(part);
    if (!range) return [part];
    const out: string[] = [];
    for (let c = Number(range[1]); c <= Number(range[2]); c++) out.push(String(c));
    return out;
  });
  return `^(${alts.join('|')})$`;
}

export interface HaproxyFiles {
  pemFile: string;
  statsSocket: string;
  /** The loopback port standing in for the listener's. */
  port: number;
  /** Rehearsal time scale (0.1 = ten times faster) applied to the health-check interval and timeout. */
  timeScale: number;
}

const ms = (seconds: number, scale: number) => `${Math.max(100, Math.round(seconds * 1000 * scale))}ms`;

/** What a server line needs from the target group: the part of the spec a kept load balancer saves. */
export type ServerSettings = Pick<LoadBalancerSpec['targetGroup'], 'protocol' | 'healthCheck'>;

/**
 * A server's check and traffic options. Written out on every server rather than through `default-server`, because
 * a server added at run time (`add server`) does not inherit `default-server` (HAProxy management guide, "add
 * server"), and a target added during a rollout must be checked exactly as the first one.
 */
export function serverOptions(tg: ServerSettings, timeScale: number): string {
  const hc = tg.healthCheck;
  const every = ms(hc.intervalSeconds, timeScale);
  const ssl = hc.protocol === 'HTTPS' ? ' check-ssl verify none' : '';
  const traffic = tg.protocol === 'HTTPS' ? ' ssl verify none' : '';
  return `check${ssl}${traffic} inter ${every} fastinter ${every} downinter ${every} rise ${hc.healthyThreshold} fall ${hc.unhealthyThreshold}`;
}

/** haproxy.cfg: one TLS listener on 127.0.0.1, nothing on plain HTTP, one backend per the target group. */
export function renderConfig(spec: LoadBalancerSpec, f: HaproxyFiles): string {
  const tg = spec.targetGroup;
  const servers = spec.targets.map((t, i) => `  server t${i} ${t.id}:${t.port} ${serverOptions(tg, f.timeScale)}`);
  return [
    'global',
    `  stats socket ${f.statsSocket} mode 600 level admin`,
    '  log stdout format raw local0 notice',
    'defaults',
    '  mode http',
    '  log global',
    '  timeout connect 5s',
    '  timeout client 60s',
    '  timeout server 60s',
    `frontend listener_${spec.listener.port}`,
    // No plain-HTTP bind at all, and the policy's minimum version: an older handshake is refused.
    `  bind 127.0.0.1:${f.port} ssl crt ${f.pemFile} ssl-min-ver ${spec.listener.minTls}`,
    '  default_backend target_group',
    'backend target_group',
    '  balance roundrobin',
    '  option httpchk',
    `  http-check send meth GET uri ${tg.healthCheck.path} ver HTTP/1.1 hdr Host localhost`,
    `  http-check expect rstatus ${matcherRegex(tg.healthCheck.matcher)}`,
    `  timeout check ${ms(tg.healthCheck.timeoutSeconds, f.timeScale)}`,
    ...servers,
    '',
  ].join('\n');
}

/**
 * HAProxy's `show stat` CSV for the backend's servers, as ELB target health. ELB's reason codes
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetHealth.html): a target still in
 * its first checks is `initial`/Elb.InitialHealthChecking; a wrong status is Target.ResponseCodeMismatch; no answer
 * in time is Target.Timeout; anything else failing is Target.FailedHealthChecks.
 */
export function parseStats(csv: string, targets: LoadBalancerSpec['targets'], everUp: Set<string>, draining?: Set<string>): TargetHealthView[] {
  const lines = csv.split('\n').filter((l) => l.trim() !== '');
  const header = (lines[0] ?? '').replace(/^#\s*/, '').split(',');
  const col = (row: string[], name: string) => row[header.indexOf(name)] ?? '';
  const out: TargetHealthView[] = [];
  for (const line of lines.slice(1)) {
    const row = line.split(',');
    if (col(row, 'pxname') !== 'target_group') continue;
    const svname = col(row, 'svname');
    if (svname === 'BACKEND' || svname === 'FRONTEND') continue;
    // The server's address names the target (servers added at run time are not in `targets`); older rows
    // without the addr column fall back to the config's t<index> names.
    const addr = /^(.+):(\d+)$/.exec(col(row, 'addr'));
    const m = /^t(\d+)$/.exec(svname);
    const target = addr ? { id: addr[1] ?? '', port: Number(addr[2]) } : m ? targets[Number(m[1])] : undefined;
    if (!target) continue;
    const status = col(row, 'status');
    const check = col(row, 'check_status').replace(/^\* ?/, '');
    const code = col(row, 'check_code');
    const key = `${target.id}:${target.port}`;
    if (status.startsWith('UP')) everUp.add(key);
    const base = { id: target.id, port: target.port, haproxy: `${status} ${check}${code ? ` ${code}` : ''}`.trim() };
    if (draining?.has(key)) out.push({ ...base, state: 'draining', reason: 'Target.DeregistrationInProgress', description: 'Target deregistration is in progress' });
    else if (status.startsWith('UP')) out.push({ ...base, state: 'healthy' });
    else if (status.startsWith('NOLB') || status.startsWith('MAINT') || status.startsWith('DRAIN')) out.push({ ...base, state: 'draining', reason: 'Target.DeregistrationInProgress', description: 'Target deregistration is in progress' });
    else if (!everUp.has(key) && (check === '' || check === 'INI' || check === 'L7OK')) out.push({ ...base, state: 'initial', reason: 'Elb.InitialHealthChecking', description: 'Initial health checks in progress' });
    else if (check === 'L7STS') out.push({ ...base, state: 'unhealthy', reason: 'Target.ResponseCodeMismatch', description: `Health checks failed with these codes: [${code}]` });
    else if (/TOUT$/.test(check)) out.push({ ...base, state: 'unhealthy', reason: 'Target.Timeout', description: 'Request timed out' });
    else out.push({ ...base, state: 'unhealthy', reason: 'Target.FailedHealthChecks', description: `Health checks failed (${check || 'no answer'})` });
  }
  return out;
}
