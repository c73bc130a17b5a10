// `deploy --domain` end to end on the moto launcher (issue 16): a hosted zone holds the name, so the infra stack
// gets DomainName and HostedZoneId and owns it all — the ACM certificate (DNS validation, its CNAME written into the
// zone, as CloudFormation does with HostedZoneId), the listener on it, the alias A record to the load balancer, and
// ServiceUrl https://<domain>. No self-signed pair is made or imported. The image is a prebuilt manifest in the
// emulated ECR (no Docker needed). What the launcher adds for this: localstack/moto_ext/acm_certificate.py.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CreateRepositoryCommand, ECRClient, PutImageCommand } from '@aws-sdk/client-ecr';
import { ACMClient, DescribeCertificateCommand } from '@aws-sdk/client-acm';
import { startMoto, FAKE_AWS_ENV, type Moto } from './support/moto.ts';
import { createZone, records } from './support/route53.ts';
import { motoClientConfig } from './support/stacks.ts';
import { runCli } from './support/cli.ts';

let moto: Moto;
let zone: string;
let image: string;

before(async () => {
  moto = await startMoto({ launcher: true });
  zone = await createZone(moto.endpoint, 'zone.test');
  const ecr = new ECRClient(motoClientConfig(moto.endpoint));
  await ecr.send(new CreateRepositoryCommand({ repositoryName: 'prebuilt/app' }));
  const layer = `sha256:${'7'.repeat(64)}`;
  const out = await ecr.send(new PutImageCommand({ repositoryName: 'prebuilt/app', imageTag: 'v1', imageManifest: JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.docker.distribution.manifest.v2+json', config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: 2, digest: layer }, layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: 3, digest: layer }] }) }));
  ecr.destroy();
  image = `123456789012.dkr.ecr.us-east-1.amazonaws.com/prebuilt/app@${out.image!.imageId!.imageDigest}`;
});
after(() => moto?.stop());

test('deploy --domain with a Route 53 zone: ServiceUrl https://<domain>, an ACM-issued certificate validated through the zone, the alias record to the load balancer', async () => {
  const r = await runCli(['deploy', '--yes', '--json', '--ecosystem', 'domain-e2e', '--email', 'ops@example.com', '--domain', 'App.Zone.Test', '--endpoint-url', moto.endpoint, '--region', 'us-east-1', '--image', image], { env: { ...FAKE_AWS_ENV }, timeout: 300_000 });
  assert.equal(r.exitCode, 0, `${r.stdout.slice(-3000)}\n${r.stderr.slice(-2000)}`);
  const result = r.events.at(-1) as unknown as { ok: boolean; url: string; created: Record<string, string> };
  assert.equal(result.url, 'https://app.zone.test');
  assert.equal(result.created.ServiceUrl, 'https://app.zone.test');
  // Nothing self-signed: no certificate step imported a pair.
  assert.ok(!r.events.some((e) => e.type === 'step-succeeded' && /import/i.test(String((e as { summary?: string }).summary ?? '')) && /self-signed/i.test(String((e as { summary?: string }).summary ?? ''))));
  const acm = new ACMClient(motoClientConfig(moto.endpoint));
  const cert = (await acm.send(new DescribeCertificateCommand({ CertificateArn: result.created.DomainCertificateArn }))).Certificate!;
  acm.destroy();
  assert.deepEqual([cert.DomainName, cert.Type, cert.Status], ['app.zone.test', 'AMAZON_ISSUED', 'ISSUED']);
  const rrs = await records(moto.endpoint, zone);
  const alias = rrs.find((x) => x.name === 'app.zone.test' && x.type === 'A');
  assert.match(alias?.alias?.dnsName ?? '', /elb\.amazonaws\.com\.?$/, JSON.stringify(rrs));
  const validation = cert.DomainValidationOptions?.[0]?.ResourceRecord;
  assert.ok(rrs.some((x) => x.type === 'CNAME' && `${x.name}.` === validation?.Name), 'the validation CNAME is in the zone');
});
