// What `deploy --dry-run` (and the wizard's plan) says each step will do: the steps' `describe` texts, which only
// the CLI tests printed, and the stack steps' summaries (describeResult), whose "no changes" ending the wizard's
// result screen reads back (saysNoChanges). Plain inputs, no ports: `npm run mutate` runs this file (docs/mutation.md).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { DeployStackResult } from '../cli/ports/deploy.ts';
import type { DeployOptions } from '../cli/steps/context.ts';
import { checkPrerequisites } from '../cli/steps/check-prerequisites.ts';
import { validateTemplates } from '../cli/steps/validate-templates.ts';
import { ecrLogin } from '../cli/steps/ecr-login.ts';
import { dockerBuild } from '../cli/steps/docker-build.ts';
import { tagImage } from '../cli/steps/tag-image.ts';
import { deployEcrStack } from '../cli/steps/deploy-ecr-stack.ts';
import { deployInfraStack } from '../cli/steps/deploy-infra-stack.ts';
import { pushImage } from '../cli/steps/push-image.ts';
import { reportResult } from '../cli/steps/report-result.ts';
import { describeResult, saysNoChanges } from '../cli/steps/stack-deploy.ts';
import { deployOptions } from './support/fake-ports.ts';

/** A step's plan line for these options (describe reads only the options). */
const plan = (step: { describe(ctx: never): string }, over: Partial<DeployOptions> = {}) => step.describe({ options: deployOptions(over) } as never);
const PREBUILT = { image: '127.0.0.1:5000/app:1', architecture: 'ARM64' as const };

describe('the plan lines', () => {
  test('prerequisites: Docker, or the --image manifest and the platform it must hold; the certificate as given', () => {
    const checks = 'read both templates, run the preflight (no fixed name taken outside the stacks, quotas with room, a certificate the listener accepts), make sure the service-linked roles exist';
    assert.equal(plan(checkPrerequisites), `Resolve AWS credentials (GetCallerIdentity), check the Docker engine answers, ${checks}, and confirm certificate arn:aws:acm:us-east-1:123456789012:certificate/abc exists in ACM.`);
    assert.equal(
      plan(checkPrerequisites, { ...PREBUILT, certificate: { kind: 'pair', certFile: '/c/cert.pem', keyFile: '/c/key.pem' } }),
      `Resolve AWS credentials (GetCallerIdentity), read the --image manifest (it must hold linux/arm64) instead of checking Docker, ${checks}, and validate and import /c/cert.pem into ACM.`,
    );
  });

  test('validate: both templates by path, and cfn-lint when installed', () => {
    assert.equal(plan(validateTemplates, { ecrTemplate: '/p/a.yaml', infraTemplate: '/p/b.yaml' }), 'ValidateTemplate on /p/a.yaml and /p/b.yaml, plus cfn-lint when installed.');
  });

  test('login: to ECR, or to the --registry that stands in for it', () => {
    assert.equal(plan(ecrLogin), 'ECR GetAuthorizationToken, then docker login --password-stdin to the ECR registry.');
    assert.equal(plan(ecrLogin, { registry: '127.0.0.1:5000' }), 'ECR GetAuthorizationToken, then docker login --password-stdin to 127.0.0.1:5000.');
  });

  test('build: the platform of --arch, the Dockerfile relative to the project, the local tag (or the one a rehearsal reuses)', () => {
    assert.equal(plan(dockerBuild), 'docker build --platform linux/amd64 Dockerfile as feature-x-hello-world:abc1234-20250101120000, using the build cache.');
    assert.equal(plan(dockerBuild, { architecture: 'ARM64', dockerfile: '/elsewhere/Dockerfile', buildTag: 'kept:7' }), 'docker build --platform linux/arm64 ../elsewhere/Dockerfile as kept:7, using the build cache.');
    // A Dockerfile path that is the project folder itself has no relative form: the path is said as given.
    assert.equal(plan(dockerBuild, { dockerfile: '/project' }), 'docker build --platform linux/amd64 /project as feature-x-hello-world:abc1234-20250101120000, using the build cache.');
  });

  test('tag: the immutable tag and latest', () => {
    assert.equal(plan(tagImage, { imageTag: 'f00ba12-20260101000000' }), 'docker tag as <repository>:f00ba12-20260101000000 and <repository>:latest.');
  });

  test('with --image, login, build and tag each say they are skipped, and why', () => {
    for (const step of [ecrLogin, dockerBuild, tagImage]) assert.equal(plan(step, PREBUILT), 'Skipped: --image is prebuilt.', step.id);
  });

  test('the stacks: names, the method, the architecture and the alarm e-mail', () => {
    assert.equal(plan(deployEcrStack, { deployMethod: 'direct' }), 'Create or update stack feature-x-hello-world-ecr (repository feature-x-hello-world-ecr) by direct.');
    assert.equal(
      plan(deployInfraStack, { architecture: 'ARM64', email: 'me@example.org' }),
      "Create or update stack feature-x-hello-world-infra (VPC, HTTPS-only ALB, Fargate service on ARM64, autoscaling, CPU alarm → me@example.org) with the image pinned by digest, watching the service's rollout.",
    );
  });

  test('push: a built image is pushed under its immutable tag and latest, and its digest kept', () => {
    assert.equal(plan(pushImage, { imageTag: 'f00ba12-20260101000000' }), 'docker push <repository>:f00ba12-20260101000000 and :latest, recording the digest.');
  });

  test('the live URL: 200 over HTTPS and plain HTTP closed; with --domain the certificate must verify for the name, without -k', () => {
    const tail = 'and plain HTTP must be refused or time out (skipped on emulators); name an alarm e-mail not confirmed yet.';
    assert.equal(plan(reportResult), `Read ServiceUrl; HTTPS GET / must answer 200 ${tail}`);
    assert.equal(
      plan(reportResult, { certificate: { kind: 'managed' }, domain: { name: 'h.example.com' } }),
      `Read ServiceUrl; HTTPS GET / must answer 200 with a certificate chain and name that verify for h.example.com (no -k) ${tail}`,
    );
  });

  test('the infra stack with --domain: the default wait bound; --replace-record says what it deletes and when', () => {
    const domain = plan(deployInfraStack, { certificate: { kind: 'managed' }, domain: { name: 'h.example.com' } });
    assert.match(domain, /watching the service's rollout\. For h\.example\.com: an ACM certificate for h\.example\.com .*; the certificate's DNS validation is watched for at most 10m00s \(--domain-wait\)\.$/);
    assert.doesNotMatch(domain, /--replace-record/);
    const replace = plan(deployInfraStack, { certificate: { kind: 'managed' }, domain: { name: 'h.example.com', replaceRecord: true } });
    assert.match(replace, / --replace-record: a record of h\.example\.com pointing elsewhere \(the prerequisites name it\) is deleted \(ChangeResourceRecordSets DELETE\) right before the stack changes\.$/);
  });
});

describe('a stack step\'s summary', () => {
  const result = (status: DeployStackResult['status']): DeployStackResult => ({ status, stackId: 'id/s', outputs: {}, changes: [] });
  test('says what happened to the stack', () => {
    assert.equal(describeResult('s', result('no-changes')), 's: no changes');
    assert.equal(describeResult('s', result('declined')), 's: change set not executed');
    assert.equal(describeResult('s', result('created')), 's: created');
    assert.equal(describeResult('s', result('updated')), 's: updated');
  });

  test('"no changes" is read back from the summary\'s first part only', () => {
    assert.equal(saysNoChanges(describeResult('s', result('no-changes'))), true);
    // The ECR step appends the repository after a ';'.
    assert.equal(saysNoChanges(`${describeResult('s', result('no-changes'))}; repository 1.dkr.ecr.us-east-1.amazonaws.com/r`), true);
    assert.equal(saysNoChanges('s: updated; note: no changes'), false);
    assert.equal(saysNoChanges(describeResult('s', result('updated'))), false);
    assert.equal(saysNoChanges(describeResult('s', result('declined'))), false);
    assert.equal(saysNoChanges('s: no changes to make, but'), false, 'the ending, not a mention');
    assert.equal(saysNoChanges(undefined), false);
    assert.equal(saysNoChanges(''), false);
  });
});
