// status (issue 13): `hello-deploy status --json` of one ecosystem on moto, against the same questions asked the way a
// person checks by hand: the AWS CLI, one command after another (describe-stacks ×2, ecs describe-services,
// list-tasks, describe-tasks, elbv2 describe-target-groups + describe-target-health, cloudwatch describe-alarms, sns
// list-subscriptions-by-topic, acm describe-certificate). The CLI is AWS CLI v2 (2.23.6, the pinned install
// bench/lib.mjs makes for the benches), as the issue names it. Targets: ≤ 1.0 s and
// ≤ 0.25× the scripted CLI. Then `status --all` over 20 ecosystems (target ≤ 3 s). Medians of RUNS, alternating.
//
// Set-up, without Docker: the real infra template is created on moto with CreateStack (ImageId pinned by a digest,
// a self-signed certificate imported into ACM), tagged as a deploy tags it; for --all, 19 more ecosystems are an ECR
// stack (the real ECR template) and a minimal infra-named stack each (one SNS topic, tagged ManagedBy=hello-deploy),
// which is what --all reads: DescribeStacks pages and, per infra stack, ECS DescribeServices.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT, NODE, median, awsCliV2, startBenchMoto, BENCH_AWS_ENV } from './lib.mjs';

const ENV = BENCH_AWS_ENV;
const RUNS = 5;
const ECOSYSTEM = 'bench-st';
const ALL = 20;
const TARGET = { statusS: 1.0, ratio: 0.25, allS: 3.0 };
const TAGS = (eco) => [{ Key: 'Ecosystem', Value: eco }, { Key: 'ManagedBy', Value: 'hello-deploy' }];

export async function run() {
  const work = mkdtempSync(path.join(tmpdir(), 'hd-bench-st-'));
  const { endpoint, aws, stop } = await startBenchMoto();
  // The AWS CLI v2 the issue compares with (bench/lib.mjs installs it, pinned, for the benches only).
  const awsCli = awsCliV2();
  try {
    const [{ CloudFormationClient, CreateStackCommand }, { ACMClient, ImportCertificateCommand }] = await Promise.all([import('@aws-sdk/client-cloudformation'), import('@aws-sdk/client-acm')]);
    const cfn = new CloudFormationClient(aws);
    spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=bench.test', '-days', '90', '-keyout', path.join(work, 'key.pem'), '-out', path.join(work, 'cert.pem')], { stdio: 'ignore' });
    const certArn = (await new ACMClient(aws).send(new ImportCertificateCommand({ Certificate: readFileSync(path.join(work, 'cert.pem')), PrivateKey: readFileSync(path.join(work, 'key.pem')) }))).CertificateArn;
    const ecrBody = readFileSync(path.join(ROOT, 'infra/hello-world-ecr-infra.yaml'), 'utf8');
    const infraBody = readFileSync(path.join(ROOT, 'infra/hello-world-infra.yaml'), 'utf8');
    const image = `123456789012.dkr.ecr.us-east-1.amazonaws.com/${ECOSYSTEM}-hello-world-ecr@sha256:${'a'.repeat(64)}`;
    await cfn.send(new CreateStackCommand({ StackName: `${ECOSYSTEM}-hello-world-ecr`, TemplateBody: ecrBody, Parameters: [{ ParameterKey: 'Ecosystem', ParameterValue: ECOSYSTEM }], Tags: TAGS(ECOSYSTEM) }));
    await cfn.send(
      new CreateStackCommand({
        StackName: `${ECOSYSTEM}-hello-world-infra`,
        TemplateBody: infraBody,
        Capabilities: ['CAPABILITY_IAM'],
        Parameters: Object.entries({ Ecosystem: ECOSYSTEM, EmailAddress: 'ops@example.com', ImageId: image, SSLCert: certArn }).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue })),
        Tags: TAGS(ECOSYSTEM),
      }),
    );
    const minimal = JSON.stringify({ Resources: { Topic: { Type: 'AWS::SNS::Topic' } } });
    for (let i = 1; i < ALL; i++) {
      const eco = `bench-all-${String(i).padStart(2, '0')}`;
      await cfn.send(new CreateStackCommand({ StackName: `${eco}-hello-world-ecr`, TemplateBody: ecrBody, Parameters: [{ ParameterKey: 'Ecosystem', ParameterValue: eco }], Tags: TAGS(eco) }));
      await cfn.send(new CreateStackCommand({ StackName: `${eco}-hello-world-infra`, TemplateBody: minimal, Tags: TAGS(eco) }));
    }

    const bin = path.join(ROOT, 'bin', 'hello-deploy.js');
    const statusArgs = [bin, 'status', '--json', '--ecosystem', ECOSYSTEM, '--endpoint-url', endpoint];
    const allArgs = [bin, 'status', '--all', '--json', '--endpoint-url', endpoint];
    const timed = (cmd, args, check) => {
      const t0 = process.hrtime.bigint();
      const r = spawnSync(cmd, args, { env: ENV, encoding: 'utf8' });
      const s = Number(process.hrtime.bigint() - t0) / 1e9;
      check(r);
      return s;
    };
    const lastOf = (r) => JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}');
    // On moto the ecosystem is not healthy (no task runs): exit 1 with the verdict is the expected answer.
    const status = () => timed(NODE, statusArgs, (r) => {
      if (r.status !== 1 || lastOf(r).error?.code !== 'ECOSYSTEM_UNHEALTHY' || !r.stdout.includes('"type":"status"')) throw new Error(`status: exit ${r.status}\n${r.stdout.slice(-1500)}\n${r.stderr.slice(-800)}`);
    });
    const all = () => timed(NODE, allArgs, (r) => {
      const listed = JSON.parse(r.stdout.split('\n').find((l) => l.includes('"type":"status-all"')) ?? '{}').ecosystems?.length;
      if (r.status !== 0 || listed !== ALL) throw new Error(`status --all: exit ${r.status}, ${listed} listed\n${r.stdout.slice(-1500)}\n${r.stderr.slice(-800)}`);
    });
    const cli = (args) => spawnSync(awsCli, [...args, '--endpoint-url', endpoint, '--region', 'us-east-1', '--output', 'json'], { env: ENV, encoding: 'utf8' });
    const must = (args) => {
      const r = cli(args);
      if (r.status !== 0) throw new Error(`aws ${args.join(' ')}: exit ${r.status}\n${r.stderr.slice(-800)}`);
      return JSON.parse(r.stdout || '{}');
    };
    const cluster = `${ECOSYSTEM}-hello-world`;
    /** What a person types to answer the same questions, each answer feeding the next as it would. */
    const scripted = () => {
      const t0 = process.hrtime.bigint();
      const infra = must(['cloudformation', 'describe-stacks', '--stack-name', `${ECOSYSTEM}-hello-world-infra`]).Stacks[0];
      must(['cloudformation', 'describe-stacks', '--stack-name', `${ECOSYSTEM}-hello-world-ecr`]);
      must(['ecs', 'describe-services', '--cluster', cluster, '--services', cluster]);
      const tasks = must(['ecs', 'list-tasks', '--cluster', cluster, '--service-name', cluster]).taskArns ?? [];
      // describe-tasks needs at least one task; with none a person reads the empty list and moves on, as here.
      if (tasks.length) must(['ecs', 'describe-tasks', '--cluster', cluster, '--tasks', ...tasks]);
      const tg = must(['elbv2', 'describe-target-groups', '--names', `${ECOSYSTEM}-hw-tg`]).TargetGroups[0].TargetGroupArn;
      must(['elbv2', 'describe-target-health', '--target-group-arn', tg]);
      must(['cloudwatch', 'describe-alarms', '--alarm-names', `${ECOSYSTEM}-hello-world-cpu-high`]);
      const topic = infra.Outputs?.find((o) => o.OutputKey === 'AlarmTopicArn')?.OutputValue;
      if (topic) must(['sns', 'list-subscriptions-by-topic', '--topic-arn', topic]);
      must(['acm', 'describe-certificate', '--certificate-arn', infra.Parameters.find((p) => p.ParameterKey === 'SSLCert').ParameterValue]);
      return Number(process.hrtime.bigint() - t0) / 1e9;
    };
    // One warm-up of each (Node's compile cache, moto's lazily loaded services, Python's bytecode cache).
    status();
    all();
    scripted();
    const load = loadavg()[0];
    const times = { status: [], scripted: [], all: [] };
    for (let i = 0; i < RUNS; i++) {
      times.status.push(status());
      times.scripted.push(scripted());
      times.all.push(all());
    }
    const s = median(times.status);
    const c = median(times.scripted);
    const a = median(times.all);
    const ratio = s / c;
    return {
      name: 'status',
      results: { runs: RUNS, statusS: s, scriptedAwsCliV2S: c, ratio, allS: a, ecosystems: ALL, times, loadAverage1m: load, target: TARGET },
      pass: s <= TARGET.statusS && ratio <= TARGET.ratio && a <= TARGET.allS,
      summary: `status --json of one ecosystem on moto: ${s.toFixed(2)} s vs ${c.toFixed(2)} s for the same reads as 9-10 sequential AWS CLI v2 commands (ratio ${ratio.toFixed(2)}; targets ≤ ${TARGET.statusS} s and ≤ ${TARGET.ratio}×); status --all over ${ALL} ecosystems ${a.toFixed(2)} s (target ≤ ${TARGET.allS} s); medians of ${RUNS}, load average ${load.toFixed(1)} on ${spawnSync('nproc', { encoding: 'utf8' }).stdout.trim()} cores`,
    };
  } finally {
    stop();
    rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log((await run()).summary);
