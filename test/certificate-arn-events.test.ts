// The certificate's ARN during the --domain wait comes from the DomainCertificate stack event's physical id
// (certificateArnOf, cli/steps/certificate-wait.ts; Ref is the ARN per
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-certificatemanager-certificate.html).
// Here over the moto launcher's real events, through the real StackPort: the ARN the events give is the one ACM
// holds for the name, and the wait, handed it as the deploy hands it, watches that certificate to ISSUED.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ACMClient, ListCertificatesCommand } from '@aws-sdk/client-acm';
import { createCloudFormationPorts } from '../cli/adapters/aws/cloudformation.ts';
import { createCertificatePort } from '../cli/adapters/aws/acm.ts';
import { systemClock } from '../cli/adapters/clock.ts';
import { certificateArnOf, watchCertificate } from '../cli/steps/certificate-wait.ts';
import type { StackEventInfo } from '../cli/ports/deploy.ts';
import { startMoto, FAKE_AWS_ENV, type Moto } from './support/moto.ts';
import { createZone } from './support/route53.ts';
import { motoClientConfig } from './support/stacks.ts';

let moto: Moto;
before(async () => {
  // The adapters resolve credentials as the CLI does: the emulator's fake ones.
  Object.assign(process.env, FAKE_AWS_ENV);
  moto = await startMoto({ launcher: true });
});
after(() => moto?.stop());

const TEMPLATE = `
Parameters:
  DomainName: { Type: String }
  HostedZoneId: { Type: String }
Resources:
  DomainCertificate:
    Type: AWS::CertificateManager::Certificate
    Properties:
      DomainName: !Ref DomainName
      ValidationMethod: DNS
      DomainValidationOptions: [{ DomainName: !Ref DomainName, HostedZoneId: !Ref HostedZoneId }]
Outputs:
  Arn: { Value: !Ref DomainCertificate }
`;

test('the DomainCertificate stack events carry the ARN ACM holds, and the wait watches it to ISSUED', async () => {
  const zone = await createZone(moto.endpoint, 'events.test');
  const aws = { endpointUrl: moto.endpoint, region: 'us-east-1' };
  const cfn = createCloudFormationPorts(aws);
  const certs = createCertificatePort(aws);
  const events: StackEventInfo[] = [];
  let arn: string | undefined;
  try {
    const result = await cfn.stacks.deploy({
      stackName: 'cert-events', templateBody: TEMPLATE, parameters: { DomainName: 'app.events.test', HostedZoneId: zone }, tags: {}, capabilities: [], method: 'direct', timeoutMs: 120_000,
      onEvent: (e) => {
        events.push(e);
        arn = certificateArnOf(e) ?? arn;
      },
      onProgress: () => undefined, confirmChanges: async () => true, confirmRecreate: async () => true,
    });
    assert.equal(result.status, 'created');
    assert.ok(arn, `no DomainCertificate event with an ARN: ${JSON.stringify(events)}`);
    assert.equal(arn, result.outputs.Arn, 'the event\'s physical id is what Ref gives');
    const acm = new ACMClient(motoClientConfig(moto.endpoint));
    const listed = (await acm.send(new ListCertificatesCommand({}))).CertificateSummaryList ?? [];
    acm.destroy();
    assert.deepEqual(listed.filter((c) => c.DomainName === 'app.events.test').map((c) => c.CertificateArn), [arn]);
    // Another resource's event never stands for the certificate.
    assert.equal(certificateArnOf({ logicalId: 'LoadBalancer', physicalId: arn }), undefined);
    assert.equal(certificateArnOf({ logicalId: 'DomainCertificate' }), undefined);
    const records: string[] = [];
    const late = await watchCertificate(certs, systemClock, {
      domain: 'app.events.test', zone: { name: 'events.test' }, arn: () => arn, boundMs: 30_000, signal: AbortSignal.timeout(60_000),
      onProgress: () => undefined, onRecord: (r) => records.push(r.name),
    });
    assert.equal(late, undefined, 'the wait found the certificate issued within its bound');
  } finally {
    cfn.destroy();
  }
});
