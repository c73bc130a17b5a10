// The pure half of the rehearsal's load balancer (cli/adapters/emulator/haproxy.ts): ELB security policy names to
// their minimum TLS version (the table at
// https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html), ELB matchers
// to HAProxy's status regex, and HAProxy's stats CSV to ELB target health and reason codes
// (https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetHealth.html).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matcherRegex, minTlsVersion, parseStats } from '../cli/adapters/emulator/haproxy.ts';

test('security policy names give their minimum TLS version; an unknown name gives none', () => {
  assert.equal(minTlsVersion('ELBSecurityPolicy-TLS13-1-3-PQ-2025-09'), 'TLSv1.3');
  assert.equal(minTlsVersion('ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09'), 'TLSv1.2');
  assert.equal(minTlsVersion('ELBSecurityPolicy-TLS13-1-3-2021-06'), 'TLSv1.3');
  assert.equal(minTlsVersion('ELBSecurityPolicy-TLS-1-2-Ext-2018-06'), 'TLSv1.2');
  assert.equal(minTlsVersion('ELBSecurityPolicy-TLS-1-1-2017-01'), 'TLSv1.1');
  assert.equal(minTlsVersion('ELBSecurityPolicy-FS-1-2-Res-2020-10'), 'TLSv1.2');
  assert.equal(minTlsVersion('ELBSecurityPolicy-2016-08'), 'TLSv1.0');
  assert.equal(minTlsVersion('ELBSecurityPolicy-TLS13-1-0-2021-06'), 'TLSv1.0');
  assert.equal(minTlsVersion('MyOwnPolicy'), undefined);
});

test('matchers: a code, a list, a range', () => {
  assert.equal(matcherRegex('200'), '^(200)$');
  assert.equal(matcherRegex('200,202'), '^(200|202)$');
  assert.match('204', new RegExp(matcherRegex('200-299')));
  assert.doesNotMatch('300', new RegExp(matcherRegex('200-299')));
});

const HEADER = '# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status,weight,act,bck,chkfail,chkdown,lastchg,downtime,qlimit,pid,iid,sid,throttle,lbtot,tracked,type,rate,rate_lim,rate_max,check_status,check_code';
const row = (status: string, check: string, code: string) => `target_group,t0,0,0,0,0,,0,0,0,,0,,0,0,0,0,${status},1,1,0,0,0,0,0,,1,3,1,,0,,2,0,,0,${check},${code}`;
const targets = [{ id: '127.0.0.1', port: 5000 }];

test('stats CSV as ELB target health: initial, healthy, then unhealthy with the reason ELB gives', () => {
  const seen = new Set<string>();
  assert.deepEqual(parseStats(`${HEADER}\n${row('DOWN', '* L7OK', '200')}`, targets, seen).map((v) => [v.state, v.reason]), [['initial', 'Elb.InitialHealthChecking']]);
  assert.deepEqual(parseStats(`${HEADER}\n${row('UP', 'L7OK', '200')}`, targets, seen).map((v) => v.state), ['healthy']);
  assert.deepEqual(parseStats(`${HEADER}\n${row('DOWN', 'L7STS', '500')}`, targets, seen).map((v) => [v.state, v.reason, v.description]), [['unhealthy', 'Target.ResponseCodeMismatch', 'Health checks failed with these codes: [500]']]);
  assert.deepEqual(parseStats(`${HEADER}\n${row('DOWN', 'L7TOUT', '')}`, targets, seen).map((v) => v.reason), ['Target.Timeout']);
  assert.deepEqual(parseStats(`${HEADER}\n${row('DOWN', 'L4CON', '')}`, targets, seen).map((v) => v.reason), ['Target.FailedHealthChecks']);
});

test('stats CSV with the addr column: every current server by its address, servers added at run time too; a draining one as draining', () => {
  const header = `${HEADER},addr`;
  const line = (name: string, status: string, check: string, code: string, addr: string) => `${row(status, check, code).replace(',t0,', `,${name},`)},${addr}`;
  const csv = [header, line('t0', 'UP', 'L7OK', '200', '127.0.0.1:5000'), line('p6000', 'DOWN', 'INI', '', '127.0.0.1:6000'), 'target_group,BACKEND,0'].join('\n');
  const views = parseStats(csv, [], new Set(), new Set(['127.0.0.1:5000']));
  assert.deepEqual(views.map((v) => [v.port, v.state, v.reason]), [[5000, 'draining', 'Target.DeregistrationInProgress'], [6000, 'initial', 'Elb.InitialHealthChecking']]);
});
