// The preflight's rules in-process: the fixed names read from the real templates, the quota arithmetic and its
// sources, the certificate rules, the service-linked roles the template relies on, and how every problem reaches one
// PREFLIGHT_FAILED error with its fix. The lookups themselves run against moto in test/preflight-moto.test.ts.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { AbortError } from '../cli/core/errors.ts';
import { parseCfnYaml } from '../cli/domain/cfn-yaml.ts';
import { NAMED_TYPES, NOT_COLLIDING, collision, fixedNamesOf, samePhysical } from '../cli/domain/preflight/names.ts';
import { QUOTAS, judgeQuota, resourcesOf } from '../cli/domain/preflight/quotas.ts';
import { LISTENER_KEY_ALGORITHMS, certificateProblems } from '../cli/domain/preflight/certificate.ts';
import { preflightError, type PreflightReport } from '../cli/domain/preflight/report.ts';
import { SERVICE_LINKED_ROLES, serviceLinkedRolesFor } from '../cli/domain/service-linked-roles.ts';
import { ensureServiceLinkedRoles } from '../cli/steps/service-linked-roles.ts';
import { ROOT } from './support/paths.ts';
import { deployPlan } from '../cli/deploy/plan.ts';
import { preflightPassed } from '../cli/steps/context.ts';
import { fakePreflight, recordingIO, stepCtx, untouchable } from './support/fake-ports.ts';
import { PREFLIGHT_CHECKS, imageCheck } from '../cli/steps/preflight-checks.ts';
import { checkImageArchitecture } from '../cli/steps/image-architecture.ts';
import type { ImageToCheck } from '../cli/steps/preflight.ts';
import { imageNotFound } from '../cli/domain/image-ref.ts';
import type { ImagePlatform } from '../cli/domain/architecture.ts';

const ECR = readFileSync(path.join(ROOT, 'infra', 'hello-world-ecr-infra.yaml'), 'utf8');
const INFRA = readFileSync(path.join(ROOT, 'infra', 'hello-world-infra.yaml'), 'utf8');
const WHERE = { ecosystem: 'feature-x', region: 'eu-west-1', account: '123456789012', partition: 'aws' };
const NOW = new Date('2026-11-30T12:00:00Z');

describe('fixed names, from the templates', () => {
  test('the seven names the stacks create, resolved for the ecosystem', () => {
    const names = [...fixedNamesOf(ECR, 'ecr', WHERE), ...fixedNamesOf(INFRA, 'infra', WHERE)].map((n) => `${n.stack}/${n.kind}=${n.name}`);
    assert.deepEqual(names.sort(), [
      'ecr/ecr-repository=feature-x-hello-world-ecr',
      'infra/cloudwatch-alarm=feature-x-hello-world-cpu-high',
      'infra/ecs-cluster=feature-x-hello-world',
      'infra/load-balancer=feature-x-hw-alb',
      'infra/log-group=/ecs/feature-x-hello-world',
      'infra/sns-topic=feature-x-hello-world-alarms',
      'infra/target-group=feature-x-hw-tg',
    ].sort());
  });

  test('every resource the templates name is either checked or listed with the reason it cannot collide', () => {
    const NAME_PROPERTY = /(^|[a-z])Name$|^Family$/;
    for (const body of [ECR, INFRA]) {
      for (const [id, r] of Object.entries(parseCfnYaml(body).Resources)) {
        const named = Object.keys(r.Properties ?? {}).filter((k) => NAME_PROPERTY.test(k) && k !== 'DisplayName');
        if (named.length === 0) continue;
        assert.ok(NAMED_TYPES[r.Type] !== undefined || NOT_COLLIDING[r.Type] !== undefined, `${id} (${r.Type}) sets ${named.join(', ')}: add it to NAMED_TYPES or NOT_COLLIDING`);
      }
    }
  });

  test('a name built from something the preflight cannot know is refused loudly, not skipped', () => {
    const body = 'Resources:\n  G:\n    Type: AWS::Logs::LogGroup\n    Properties:\n      LogGroupName: !Sub "/ecs/${Other}"\n';
    assert.throws(() => fixedNamesOf(body, 'infra', WHERE), /G\.LogGroupName .* not a name the preflight can resolve/);
  });

  test('a collision names the resource, the stack and the exact command that removes it', () => {
    const [group] = fixedNamesOf(INFRA, 'infra', WHERE).filter((n) => n.kind === 'log-group');
    const p = collision(group!, 'feature-x-hello-world-infra', WHERE);
    assert.match(p.message, /CloudWatch Logs log group "\/ecs\/feature-x-hello-world" already exists and is not part of feature-x-hello-world-infra/);
    assert.match(p.fix, /aws logs delete-log-group --log-group-name \/ecs\/feature-x-hello-world --region eu-west-1/);
    const [topic] = fixedNamesOf(INFRA, 'infra', WHERE).filter((n) => n.kind === 'sns-topic');
    assert.match(collision(topic!, 's', WHERE).fix, /--topic-arn arn:aws:sns:eu-west-1:123456789012:feature-x-hello-world-alarms/);
  });

  test('a physical id is ours by name, by ARN, or by an ARN ending in the name', () => {
    assert.ok(samePhysical('feature-x-hello-world', { name: 'feature-x-hello-world' }));
    assert.ok(samePhysical('arn:aws:elasticloadbalancing:eu-west-1:1:loadbalancer/app/feature-x-hw-alb/abc', { name: 'feature-x-hw-alb', arn: 'arn:aws:elasticloadbalancing:eu-west-1:1:loadbalancer/app/feature-x-hw-alb/abc' }));
    assert.ok(samePhysical('arn:aws:sns:eu-west-1:1:feature-x-hello-world-alarms', { name: 'feature-x-hello-world-alarms' }));
    assert.ok(!samePhysical('arn:aws:elasticloadbalancing:eu-west-1:1:loadbalancer/app/feature-x-hw-alb/old', { name: 'feature-x-hw-alb', arn: 'arn:aws:elasticloadbalancing:eu-west-1:1:loadbalancer/app/feature-x-hw-alb/new' }));
  });
});

describe('quotas', () => {
  const byId = Object.fromEntries(QUOTAS.map((q) => [q.id, q]));
  test('the infra template needs one VPC, one application load balancer and one target group', () => {
    const rs = resourcesOf(INFRA);
    assert.deepEqual(QUOTAS.map((q) => [q.id, q.consumedBy(rs)]), [['vpcs', 1], ['application-load-balancers', 1], ['target-groups', 1]]);
    assert.deepEqual(QUOTAS.map((q) => q.quotaCode), ['L-F678F1CE', 'L-53DA6B97', 'L-B22855CB']);
  });

  test('room is used + needed <= quota; the report says where the quota came from', () => {
    const vpcs = byId['vpcs']!;
    assert.equal(judgeQuota({ spec: vpcs, quota: { value: 5, from: 'applied' }, used: 4, needed: 1 }, 'eu-west-1').problem, undefined);
    const full = judgeQuota({ spec: vpcs, quota: { value: 5, from: 'applied' }, used: 5, needed: 1 }, 'eu-west-1');
    assert.match(full.note, /VPCs per Region: 5 of 5 used, 1 more needed \(Service Quotas, applied value\)/);
    assert.match(full.problem!.message, /VPCs per Region in eu-west-1 is full: 5 of 5 in use and this deploy needs 1 more/);
    assert.match(full.problem!.fix, /request-service-quota-increase --service-code vpc --quota-code L-F678F1CE --desired-value 6 --region eu-west-1/);
    const documented = judgeQuota({ spec: byId['application-load-balancers']!, quota: { value: 50, from: 'documented', why: 'GetServiceQuota was denied' }, used: 0, needed: 1 }, 'eu-west-1');
    assert.match(documented.note, /AWS's documented default; Service Quotas gave no value: GetServiceQuota was denied/);
    assert.equal(judgeQuota({ spec: vpcs, quota: { value: 5, from: 'aws-default' }, used: 5, needed: 0 }, 'r').problem, undefined, 'a re-deploy needs nothing more');
  });
});

describe('the certificate fits a listener', () => {
  const ok = { arn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc', keyAlgorithm: 'RSA_2048', status: 'ISSUED', notAfter: new Date('2027-01-01T00:00:00Z'), domain: 'app.example.com', names: ['app.example.com'] };
  test('a fitting certificate has no problems; the key types are what an ALB listener serves', () => {
    assert.deepEqual(certificateProblems(ok, 'eu-west-1', NOW), []);
    assert.deepEqual([...LISTENER_KEY_ALGORITHMS], ['RSA_2048', 'RSA_3072', 'RSA_4096', 'EC_prime256v1', 'EC_secp384r1', 'EC_secp521r1']);
  });
  test('another region, a 1024-bit key, expired, pending, no name: each is its own problem with a fix', () => {
    const msgs = (over: object, region = 'eu-west-1') => certificateProblems({ ...ok, ...over }, region, NOW).map((p) => `${p.message} | ${p.fix}`);
    assert.match(msgs({}, 'us-east-1')[0]!, /is in eu-west-1, but the load balancer is created in us-east-1;.*\| import or request the certificate in us-east-1/);
    assert.match(msgs({ keyAlgorithm: 'RSA_1024' })[0]!, /key is RSA_1024; an ALB HTTPS listener serves only RSA_2048/);
    assert.match(msgs({ notAfter: new Date('2026-11-01T00:00:00Z'), status: 'EXPIRED' })[0]!, /expired on 2026-11-01.*\| rotate it: `hello-deploy generate-certs --force --import-acm --rotate arn:aws:acm/);
    assert.equal(msgs({ notAfter: new Date('2026-11-01T00:00:00Z'), status: 'EXPIRED' }).length, 1, 'expired is said once');
    assert.match(msgs({ status: 'PENDING_VALIDATION' })[0]!, /PENDING_VALIDATION, not ISSUED.*\| finish its validation/);
    assert.match(msgs({ domain: undefined, names: [] })[0]!, /covers no name/);
  });
});

describe('every problem at once, in one error', () => {
  test('PREFLIGHT_FAILED lists each problem with its fix, numbered; nothing at all is no error', () => {
    const report: PreflightReport = {
      checks: [
        { id: 'names', title: 'Names', status: 'problems', problems: [{ message: 'the log group "/ecs/x" already exists', fix: 'aws logs delete-log-group …' }], notes: [] },
        { id: 'quotas', title: 'Quotas', status: 'problems', problems: [{ message: 'VPCs per Region is full', fix: 'delete a VPC' }], notes: [] },
        { id: 'certificate', title: 'Certificate', status: 'ok', problems: [], notes: ['fits'] },
      ],
    };
    const e = preflightError(report)!;
    assert.ok(e instanceof AbortError);
    assert.equal(e.code, 'PREFLIGHT_FAILED');
    assert.equal(e.exitCode, 1);
    assert.match(e.message, /found 2 problems AWS would fail the stacks on, minutes in; nothing was changed/);
    assert.match(e.message, /1\. Names: the log group "\/ecs\/x" already exists\.\n {5}fix: aws logs delete-log-group …\n {2}2\. Quotas: VPCs per Region is full\.\n {5}fix: delete a VPC/);
    assert.match(e.hint!, /hello-deploy doctor/);
    assert.equal(preflightError({ checks: [report.checks[2]!] }), undefined);
  });
});

describe('the deploy plan', () => {
  test('validation runs beside the prerequisites (stopped if they fail); against an emulator it sends nothing before the preflight passed', async () => {
    const validate = (endpointUrl?: string) => deployPlan(endpointUrl ? { endpointUrl } : {}).find((s) => s.id === 'validate-templates')!;
    assert.deepEqual(validate().after, []);
    assert.deepEqual(validate('http://127.0.0.1:5000').after, []);
    assert.equal(validate('http://127.0.0.1:5000').readOnly, true);
    assert.deepEqual(deployPlan({}).map((s) => s.id), deployPlan({ endpointUrl: 'http://x' }).map((s) => s.id), 'the same steps either way');

    // On an emulator: nothing is validated until the prerequisites open the latch; a stop ends the wait.
    const sent: string[] = [];
    const ctx = stepCtx({
      files: { readable: async () => true, read: async (p: string) => `body of ${p}` },
      templates: { validate: async (body: string) => { sent.push(body); return { parameters: [], capabilities: [] }; } },
      lint: { lint: async () => ({ available: false, findings: [] }) },
    }, { options: { endpointUrl: 'http://127.0.0.1:5000' } });
    const { io } = recordingIO();
    const running = validate('http://127.0.0.1:5000').run(ctx as never, io);
    await new Promise((r) => setTimeout(r, 30));
    assert.deepEqual(sent, [], 'no ValidateTemplate before the preflight passed');
    preflightPassed(ctx.state).open();
    assert.equal((await running).status, 'succeeded');
    assert.equal(sent.length, 2);
    const stop = new AbortController();
    const waiting = validate('http://127.0.0.1:5000').run({ ...ctx, state: { stacksTouched: [] } } as never, recordingIO({}, stop.signal).io);
    stop.abort();
    await assert.rejects(waiting, /Stopped before the preflight passed/);
  });
});

describe('service-linked roles', () => {
  test('the infra template relies on the ECS, Elastic Load Balancing and ECS autoscaling roles; the ECR one on none', () => {
    assert.deepEqual(serviceLinkedRolesFor(INFRA).map((r) => `${r.roleName} ${r.service}`), [
      'AWSServiceRoleForECS ecs.amazonaws.com',
      'AWSServiceRoleForElasticLoadBalancing elasticloadbalancing.amazonaws.com',
      'AWSServiceRoleForApplicationAutoScaling_ECSService ecs.application-autoscaling.amazonaws.com',
    ]);
    assert.deepEqual(serviceLinkedRolesFor(ECR), []);
    for (const r of SERVICE_LINKED_ROLES) assert.match(r.source, /^https:\/\/docs\.aws\.amazon\.com\//);
  });

  test('a scalable target with a RoleARN of its own needs no autoscaling role', () => {
    const body = 'Resources:\n  T:\n    Type: AWS::ApplicationAutoScaling::ScalableTarget\n    Properties:\n      ServiceNamespace: ecs\n      RoleARN: arn:aws:iam::1:role/x\n';
    assert.deepEqual(serviceLinkedRolesFor(body), []);
  });

  test('a denied create is SERVICE_LINKED_ROLE_DENIED with the command an administrator runs', async () => {
    const denied = new AbortError('AWS_ACCESS_DENIED', 'IAM CreateServiceLinkedRole (for ecs.amazonaws.com): access denied: not authorized');
    const port = { exists: async () => false, create: async () => { throw denied; } };
    await assert.rejects(ensureServiceLinkedRoles(port, INFRA), (e: unknown) => {
      assert.ok(e instanceof AbortError);
      assert.equal(e.code, 'SERVICE_LINKED_ROLE_DENIED');
      assert.match(e.message, /AWSServiceRoleForECS does not exist yet, and this identity may not create it/);
      assert.match(e.hint!, /aws iam create-service-linked-role --aws-service-name ecs\.amazonaws\.com/);
      assert.match(e.hint!, /iam:CreateServiceLinkedRole/);
      return true;
    });
  });
});

describe('the Image check (the --image architecture, in the preflight)', () => {
  const DIGEST = `sha256:${'ab'.repeat(32)}`;
  const AMD = { os: 'linux', architecture: 'amd64' };
  /** A FAKE ImageDigestPort holding one image of these platforms (or failing with `fails`); every read is counted. */
  const digests = (answer: { platforms?: ImagePlatform[]; unknown?: string; fails?: Error }) => {
    const asked: string[] = [];
    return { asked, platforms: async (image: { repository: string }) => { asked.push(image.repository); if (answer.fails) throw answer.fails; return { digest: DIGEST, ...answer }; } };
  };
  const FACTS = { where: WHERE, names: [], stackNames: { ecr: 'e', infra: 'i' }, owned: { ecr: undefined, infra: undefined } };
  const input = (image?: ImageToCheck) => ({ ecosystem: 'feature-x', identity: { account: '123456789012', arn: 'arn:aws:iam::123456789012:user/x', region: 'eu-west-1' }, templates: { ecr: ECR, infra: INFRA }, ...(image ? { image } : {}), now: NOW });
  const IMAGE = '127.0.0.1:5000/app:1';

  test('no --image: skipped, and it says why; the check is in PREFLIGHT_CHECKS, last', () => {
    assert.equal(imageCheck.skip!(input()), 'no --image given: a deploy builds the image for its --arch');
    assert.equal(imageCheck.skip!(input({ image: IMAGE, architecture: 'X86_64' })), undefined);
    assert.deepEqual(PREFLIGHT_CHECKS.map((c) => c.id), ['names', 'quotas', 'certificate', 'image']);
  });

  test('an image for the tasks\' architecture: no problem, a note of what it holds', async () => {
    const imageDigests = digests({ platforms: [AMD] });
    const out = await imageCheck.run(input({ image: IMAGE, architecture: 'X86_64' }), FACTS, fakePreflight({ imageDigests }));
    assert.deepEqual(out, { problems: [], notes: [`"${IMAGE}" (sha256:abababababab…) holds linux/amd64, which runs on X86_64`] });
    assert.deepEqual(imageDigests.asked, ['app']);
  });

  test('another architecture: a problem with IMAGE_ARCH_MISMATCH\'s message and hint as its fix', async () => {
    const q: ImageToCheck = { image: IMAGE, architecture: 'ARM64', architectureFromHost: true };
    const out = await imageCheck.run(input(q), FACTS, fakePreflight({ imageDigests: digests({ platforms: [AMD] }) }));
    const direct = await checkImageArchitecture({ imageDigests: digests({ platforms: [AMD] }), ecrAuth: untouchable('ecrAuth') }, q);
    assert.ok(!direct.ok && direct.error.code === 'IMAGE_ARCH_MISMATCH');
    assert.deepEqual(out, { problems: [{ message: direct.error.message, fix: direct.error.hint! }], notes: [] });
    assert.match(out.problems[0]!.message, /this machine's architecture, the default without --arch/);
    assert.match(out.problems[0]!.fix, /--arch x86_64/);
  });

  test('an emulator\'s ECR that cannot say: "not checked: <why>" as a note, not a pass in disguise', async () => {
    const out = await imageCheck.run(input({ image: IMAGE, architecture: 'ARM64' }), FACTS, fakePreflight({ imageDigests: digests({ unknown: 'moto serves no image config' }) }));
    assert.deepEqual(out, { problems: [], notes: ['not checked: moto serves no image config'] });
  });

  test('a missing image is a finding; an unreachable registry stops the preflight', async () => {
    const missing = await imageCheck.run(input({ image: IMAGE, architecture: 'X86_64' }), FACTS, fakePreflight({ imageDigests: digests({ fails: imageNotFound(IMAGE, 'gone') }) }));
    assert.equal(missing.problems.length, 1);
    assert.match(missing.problems[0]!.message, /was not found: gone/);
    const down = new AbortError('REGISTRY_UNREACHABLE', 'connection refused');
    await assert.rejects(imageCheck.run(input({ image: IMAGE, architecture: 'X86_64' }), FACTS, fakePreflight({ imageDigests: digests({ fails: down }) })), (e: unknown) => e === down);
  });

  test('what the deploy read already is reported as it is, with no second read', async () => {
    const checked = { digest: DIGEST, pinned: `127.0.0.1:5000/app@${DIGEST}`, platforms: [AMD] };
    // fakePreflight's registry ports are untouchable: a read would fail the test.
    const out = await imageCheck.run(input({ image: IMAGE, architecture: 'X86_64', checked }), FACTS, fakePreflight());
    assert.deepEqual(out.problems, []);
    assert.match(out.notes[0]!, /holds linux\/amd64, which runs on X86_64/);
  });
});
