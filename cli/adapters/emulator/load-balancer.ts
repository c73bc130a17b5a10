// The rehearsal's load balancer: the ALB of the deployed infra stack read back from the emulator (ELBv2 and ACM),
// the app registered as its target there, and HAProxy started on 127.0.0.1 from that state. HAProxy's own view of
// the target (its stats socket) is reported back to the emulator, so DescribeTargetHealth answers it (the moto
// launcher's target_health extension; plain moto keeps its fixed answer).
import { chmod, writeFile } from 'node:fs/promises';
import { X509Certificate } from 'node:crypto';
import path from 'node:path';
import { boundedCalls } from '../aws/config.ts';
import { EMULATOR_REGION, FAKE_CREDENTIALS } from './fake-aws.ts';
import { spawnService } from './processes.ts';
import { waitForPort } from './net.ts';
export { findHaproxy } from './haproxy-bin.ts';
import { minTlsVersion, renderConfig } from './haproxy.ts';
import { controlled, socketCommand } from './haproxy-runtime.ts';
export { attachHaproxy } from './haproxy-runtime.ts';
import type { LoadBalancerSpec, SavedLoadBalancer, StartedLoadBalancer, TargetHealthView } from '../../ports/rehearsal.ts';

const clientConfig = (endpoint: string) => ({ endpoint, region: EMULATOR_REGION, credentials: FAKE_CREDENTIALS, ...boundedCalls() });

/** The stack's ALB, its HTTPS listener and the listener's target group, as the emulator holds them. */
export async function readLoadBalancer(endpoint: string, stackName: string): Promise<LoadBalancerSpec> {
  const [cfnSdk, elbSdk, acmSdk] = await Promise.all([import('@aws-sdk/client-cloudformation'), import('@aws-sdk/client-elastic-load-balancing-v2'), import('@aws-sdk/client-acm')]);
  const cfn = new cfnSdk.CloudFormationClient(clientConfig(endpoint));
  const elb = new elbSdk.ElasticLoadBalancingV2Client(clientConfig(endpoint));
  const acm = new acmSdk.ACMClient(clientConfig(endpoint));
  try {
    const resources = (await cfn.send(new cfnSdk.DescribeStackResourcesCommand({ StackName: stackName }))).StackResources ?? [];
    const lbArn = resources.find((r) => r.ResourceType === 'AWS::ElasticLoadBalancingV2::LoadBalancer')?.PhysicalResourceId;
    if (!lbArn) throw new Error(`the stack ${stackName} has no load balancer`);
    const lb = (await elb.send(new elbSdk.DescribeLoadBalancersCommand({ LoadBalancerArns: [lbArn] }))).LoadBalancers?.[0];
    const listeners = (await elb.send(new elbSdk.DescribeListenersCommand({ LoadBalancerArn: lbArn }))).Listeners ?? [];
    const https = listeners.find((l) => l.Protocol === 'HTTPS');
    if (!https?.ListenerArn || !https.Port) throw new Error(`the load balancer has no HTTPS listener (listeners: ${listeners.map((l) => `${l.Protocol}:${l.Port}`).join(', ') || 'none'})`);
    const plain = listeners.filter((l) => l.Protocol !== 'HTTPS');
    if (plain.length) throw new Error(`the load balancer also listens on ${plain.map((l) => `${l.Protocol}:${l.Port}`).join(', ')}, which the rehearsal's proxy does not serve`);
    const sslPolicy = https.SslPolicy ?? '';
    const minTls = minTlsVersion(sslPolicy);
    if (!minTls) throw new Error(`the listener's SslPolicy ${JSON.stringify(sslPolicy)} is not one whose minimum TLS version the rehearsal knows`);
    const certificateArn = https.Certificates?.[0]?.CertificateArn ?? '';
    const certificatePem = (await acm.send(new acmSdk.GetCertificateCommand({ CertificateArn: certificateArn }))).Certificate ?? '';
    const tgArn = https.DefaultActions?.find((a) => a.Type === 'forward')?.TargetGroupArn;
    if (!tgArn) throw new Error('the HTTPS listener forwards to no target group');
    const tg = (await elb.send(new elbSdk.DescribeTargetGroupsCommand({ TargetGroupArns: [tgArn] }))).TargetGroups?.[0];
    const attrs = (await elb.send(new elbSdk.DescribeTargetGroupAttributesCommand({ TargetGroupArn: tgArn }))).Attributes ?? [];
    if (!tg) throw new Error(`DescribeTargetGroups does not know ${tgArn}`);
    const proto = (p: string | undefined): 'HTTP' | 'HTTPS' => (p === 'HTTPS' ? 'HTTPS' : 'HTTP');
    // ELB's defaults when the group leaves a field out (CreateTargetGroup,
    // https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html).
    return {
      loadBalancerArn: lbArn,
      dnsName: lb?.DNSName ?? '',
      listener: { arn: https.ListenerArn, port: https.Port, protocol: 'HTTPS', sslPolicy, minTls, certificateArn, certificatePem, certificateFingerprint: certificatePem ? new X509Certificate(certificatePem).fingerprint256 : '' },
      targetGroup: {
        arn: tgArn,
        protocol: proto(tg.Protocol),
        healthCheck: {
          protocol: proto(tg.HealthCheckProtocol),
          path: tg.HealthCheckPath ?? '/',
          intervalSeconds: tg.HealthCheckIntervalSeconds ?? 30,
          timeoutSeconds: tg.HealthCheckTimeoutSeconds ?? 5,
          healthyThreshold: tg.HealthyThresholdCount ?? 5,
          unhealthyThreshold: tg.UnhealthyThresholdCount ?? 2,
          matcher: tg.Matcher?.HttpCode ?? '200',
        },
        deregistrationDelaySeconds: Number(attrs.find((a) => a.Key === 'deregistration_delay.timeout_seconds')?.Value ?? 300),
      },
      targets: [],
    };
  } finally {
    cfn.destroy();
    elb.destroy();
    acm.destroy();
  }
}

/** RegisterTargets (or DeregisterTargets) in the emulated target group: an `ip` target, 127.0.0.1 and a port. */
export async function registerTarget(endpoint: string, targetGroupArn: string, target: { id: string; port: number }, deregister = false): Promise<void> {
  const sdk = await import('@aws-sdk/client-elastic-load-balancing-v2');
  const elb = new sdk.ElasticLoadBalancingV2Client(clientConfig(endpoint));
  try {
    const input = { TargetGroupArn: targetGroupArn, Targets: [{ Id: target.id, Port: target.port }] };
    await elb.send(deregister ? new sdk.DeregisterTargetsCommand(input) : new sdk.RegisterTargetsCommand(input));
  } finally {
    elb.destroy();
  }
}

/** DescribeTargetHealth of the emulated group, for the report. */
export async function describeTargetHealth(endpoint: string, targetGroupArn: string): Promise<Array<{ id: string; port: number; state: string; reason?: string }>> {
  const sdk = await import('@aws-sdk/client-elastic-load-balancing-v2');
  const elb = new sdk.ElasticLoadBalancingV2Client(clientConfig(endpoint));
  try {
    const out = await elb.send(new sdk.DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn }));
    return (out.TargetHealthDescriptions ?? []).map((d) => ({ id: d.Target?.Id ?? '', port: d.Target?.Port ?? 0, state: d.TargetHealth?.State ?? '', ...(d.TargetHealth?.Reason ? { reason: d.TargetHealth.Reason } : {}) }));
  } finally {
    elb.destroy();
  }
}

/**
 * Reports HAProxy's view to the launcher's target_health route. False when the emulator has no such route
 * (plain moto, LocalStack): its DescribeTargetHealth then keeps its own answer, and the caller says so.
 */
export async function reportTargetHealth(endpoint: string, targetGroupArn: string, views: TargetHealthView[]): Promise<boolean> {
  const res = await fetch(`${endpoint}/moto-api/hello-deploy/target-health`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ targetGroupArn, targets: views.map((v) => ({ id: v.id, port: v.port, state: v.state, reason: v.reason, description: v.description })) }),
    signal: AbortSignal.timeout(5_000),
  });
  await res.arrayBuffer();
  return res.ok;
}

export interface StartLoadBalancerRequest {
  haproxy: string;
  spec: LoadBalancerSpec;
  certPem: string;
  keyPem: string;
  workDir: string;
  port: number;
  /** Applied to the health-check interval/timeout and the deregistration delay (0.1: ten times faster). */
  timeScale: number;
  signal: AbortSignal;
}

export async function startHaproxy(req: StartLoadBalancerRequest): Promise<StartedLoadBalancer> {
  const files = { pemFile: path.join(req.workDir, 'alb-listener.pem'), statsSocket: path.join(req.workDir, 'haproxy.sock'), port: req.port, timeScale: req.timeScale };
  const cfgFile = path.join(req.workDir, 'haproxy.cfg');
  // HAProxy takes the certificate and its key in one file; it holds the key, so owner-only.
  await writeFile(files.pemFile, `${req.certPem.trim()}\n${req.keyPem.trim()}\n`, { mode: 0o600 });
  await chmod(files.pemFile, 0o600);
  await writeFile(cfgFile, renderConfig(req.spec, files));
  const svc = spawnService('load balancer (HAProxy)', req.haproxy, ['-db', '-f', cfgFile], { env: { PATH: process.env.PATH ?? '' }, logFile: path.join(req.workDir, 'haproxy.log') });
  try {
    await waitForPort(req.port, { timeoutMs: 10_000, gone: svc.exited, signal: req.signal });
    // ELB starts a new target in `initial` and sends it nothing until its healthy threshold of checks pass;
    // HAProxy starts servers up, so they are forced down here, before any client can connect.
    for (let i = 0; i < req.spec.targets.length; i++) await socketCommand(files.statsSocket, `set server target_group/t${i} health down`);
  } catch (err) {
    await svc.stop();
    throw new Error(`HAProxy did not start: ${err instanceof Error ? err.message : String(err)}\n${await svc.logTail()}`, { cause: err });
  }
  const saved: SavedLoadBalancer = {
    pid: svc.pid,
    port: req.port,
    url: `https://127.0.0.1:${req.port}`,
    statsSocket: files.statsSocket,
    configFile: cfgFile,
    logFile: svc.logFile,
    timeScale: req.timeScale,
    targetGroup: { arn: req.spec.targetGroup.arn, protocol: req.spec.targetGroup.protocol, healthCheck: req.spec.targetGroup.healthCheck, deregistrationDelaySeconds: req.spec.targetGroup.deregistrationDelaySeconds },
  };
  return { ...controlled(saved, svc), endpoint: saved.url };
}
