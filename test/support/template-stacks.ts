// Deploys the two real templates (infra/) on a moto endpoint with CreateStack, as `--deploy-method direct` does:
// the ECR stack, a throwaway certificate imported into ACM, then the infra stack. For the tests of the moto
// launcher's extensions, which compare what the launcher and plain moto make of the same deploy.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { ACMClient, ImportCertificateCommand } from '@aws-sdk/client-acm';
import type { CloudFormationClient, StackResource } from '@aws-sdk/client-cloudformation';
import { parseCfnYaml, type CfnTemplate } from '../../cli/domain/cfn-yaml.ts';
import { createStackAndWait, motoClientConfig, readTemplate, stackResources } from './stacks.ts';
import { makeTestCert } from './testcert.ts';

export const ECR_TEMPLATE = readTemplate('hello-world-ecr-infra.yaml');
export const INFRA_TEMPLATE = readTemplate('hello-world-infra.yaml');
export const ECR_PARSED: CfnTemplate = parseCfnYaml(ECR_TEMPLATE);
export const INFRA_PARSED: CfnTemplate = parseCfnYaml(INFRA_TEMPLATE);

/** Imports a fresh self-signed certificate into the endpoint's ACM and returns its ARN (for SSLCert). */
export async function importTestCert(endpoint: string): Promise<string> {
  const cert = makeTestCert('moto-ext.hello-deploy.test');
  const acm = new ACMClient(motoClientConfig(endpoint));
  try {
    const res = await acm.send(new ImportCertificateCommand({ Certificate: Buffer.from(cert.certPem), PrivateKey: Buffer.from(cert.keyPem) }));
    assert.ok(res.CertificateArn);
    return res.CertificateArn;
  } finally {
    acm.destroy();
    rmSync(cert.dir, { recursive: true, force: true });
  }
}

export function infraParams(ecosystem: string, certArn: string, over: Record<string, string> = {}): Record<string, string> {
  return {
    Ecosystem: ecosystem,
    EmailAddress: 'ops@example.com',
    ImageId: `123456789012.dkr.ecr.us-east-1.amazonaws.com/${ecosystem}-hello-world-ecr:test`,
    SSLCert: certArn,
    ...over,
  };
}

export interface Deployed {
  ecrStack: string;
  infraStack: string;
  certArn: string;
  /** The infra stack's resources by logical id, as DescribeStackResources lists them. */
  infra: Map<string, StackResource>;
}

/** Both stacks of `ecosystem`, created and complete. */
export async function deployBoth(cfn: CloudFormationClient, endpoint: string, ecosystem: string): Promise<Deployed> {
  const ecrStack = `${ecosystem}-hello-world-ecr`;
  const infraStack = `${ecosystem}-hello-world-infra`;
  const ecr = await createStackAndWait(cfn, { stackName: ecrStack, templateBody: ECR_TEMPLATE, parameters: { Ecosystem: ecosystem } });
  assert.equal(ecr.status, 'CREATE_COMPLETE', ecr.reason);
  const certArn = await importTestCert(endpoint);
  const infra = await createStackAndWait(cfn, {
    stackName: infraStack, templateBody: INFRA_TEMPLATE, parameters: infraParams(ecosystem, certArn), capabilities: ['CAPABILITY_IAM'],
  });
  assert.equal(infra.status, 'CREATE_COMPLETE', infra.reason);
  const resources = await stackResources(cfn, infraStack);
  return { ecrStack, infraStack, certArn, infra: new Map(resources.filter((r) => r.LogicalResourceId).map((r) => [r.LogicalResourceId!, r])) };
}

/** The physical id CloudFormation reports for a logical id of the infra stack (fails when there is none). */
export function physicalId(d: Deployed, logicalId: string): string {
  const id = d.infra.get(logicalId)?.PhysicalResourceId;
  assert.ok(id, `the infra stack has no ${logicalId}`);
  return id;
}

/**
 * The resources a deploy without --domain creates. Every condition of the infra template is a domain one (HasDomain,
 * HasZone: false without DomainName), so those are the resources without a Condition; a template that gains another
 * condition fails here, so that this is thought through again.
 */
export function withoutDomain(t: CfnTemplate): CfnTemplate['Resources'] {
  assert.deepEqual(Object.keys(t.Conditions ?? {}).filter((c) => c !== 'HasDomain' && c !== 'HasZone'), [], 'a condition other than the domain ones');
  return Object.fromEntries(Object.entries(t.Resources).filter(([, r]) => r.Condition === undefined));
}
