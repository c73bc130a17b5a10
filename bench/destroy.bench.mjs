// destroy (issue 13): `hello-deploy destroy --yes --json` of a deployed ecosystem on moto, against the scripted CLI a
// person would run: empty the repository (`aws ecr list-images` + `batch-delete-image`), then `aws cloudformation
// delete-stack` + `wait stack-delete-complete` for the infra stack and again for the ECR stack. The CLI is AWS CLI v2
// (2.23.6, the pinned install bench/lib.mjs makes for the benches), as the issue names it. destroy does more (the inventory first, the imported certificate, the saved answers). Target: ≤ 0.5×
// the scripted CLI. Medians of RUNS, alternating, each run on an ecosystem of its own deployed the same way.
//
// Set-up, without Docker, as the status bench does: the real templates created on moto with CreateStack (ImageId
// pinned by a digest, a self-signed certificate imported into ACM with the tags a deploy gives it), tagged as a deploy
// tags them, and two images put in the repository. moto's DeleteStack of the infra stack answers DependencyViolation
// (see README, destroy on an emulator) although the stack is gone: the script, like a person, goes on to the wait.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT, NODE, median, awsCliV2, startBenchMoto, BENCH_AWS_ENV } from './lib.mjs';

const ENV = BENCH_AWS_ENV;
const RUNS = 5;
const TARGET = { ratio: 0.5 };
const TAGS = (eco) => [{ Key: 'Ecosystem', Value: eco }, { Key: 'ManagedBy', Value: 'hello-deploy' }];

export async function run() {
  const work = mkdtempSync(path.join(tmpdir(), 'hd-bench-dx-'));
  const { endpoint, aws, stop } = await startBenchMoto();
  // The AWS CLI v2 the issue compares with (bench/lib.mjs installs it, pinned, for the benches only).
  const awsCli = awsCliV2();
  try {
    const [{ CloudFormationClient, CreateStackCommand }, { ACMClient, ImportCertificateCommand }, { ECRClient, PutImageCommand }] = await Promise.all([
      import('@aws-sdk/client-cloudformation'),
      import('@aws-sdk/client-acm'),
      import('@aws-sdk/client-ecr'),
    ]);
    const cfn = new CloudFormationClient(aws);
    const acm = new ACMClient(aws);
    const ecr = new ECRClient(aws);
    spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=bench.test', '-days', '90', '-keyout', path.join(work, 'key.pem'), '-out', path.join(work, 'cert.pem')], { stdio: 'ignore' });
    const ecrBody = readFileSync(path.join(ROOT, 'infra/hello-world-ecr-infra.yaml'), 'utf8');
    const infraBody = readFileSync(path.join(ROOT, 'infra/hello-world-infra.yaml'), 'utf8');
    const manifest = (n) => JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.docker.distribution.manifest.v2+json', config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: 2, digest: `sha256:${String(n).repeat(64)}` }, layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: 3, digest: `sha256:${String(n).repeat(64)}` }] });
    let made = 0;
    /** A deployed ecosystem of its own (not timed): both stacks, a tagged certificate, two images. */
    const deployed = async () => {
      const eco = `bench-dx-${++made}`;
      const certArn = (await acm.send(new ImportCertificateCommand({ Certificate: readFileSync(path.join(work, 'cert.pem')), PrivateKey: readFileSync(path.join(work, 'key.pem')), Tags: TAGS(eco) }))).CertificateArn;
      await cfn.send(new CreateStackCommand({ StackName: `${eco}-hello-world-ecr`, TemplateBody: ecrBody, Parameters: [{ ParameterKey: 'Ecosystem', ParameterValue: eco }], Tags: TAGS(eco) }));
      for (const i of [1, 2]) await ecr.send(new PutImageCommand({ repositoryName: `${eco}-hello-world-ecr`, imageManifest: manifest(i), imageTag: `t${i}` }));
      const image = `123456789012.dkr.ecr.us-east-1.amazonaws.com/${eco}-hello-world-ecr@sha256:${'a'.repeat(64)}`;
      await cfn.send(new CreateStackCommand({
        StackName: `${eco}-hello-world-infra`, TemplateBody: infraBody, Capabilities: ['CAPABILITY_IAM'], Tags: TAGS(eco),
        Parameters: Object.entries({ Ecosystem: eco, EmailAddress: 'ops@example.com', ImageId: image, SSLCert: certArn }).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue })),
      }));
      return eco;
    };
    const elapsed = (t0) => Number(process.hrtime.bigint() - t0) / 1e9;
    const bin = path.join(ROOT, 'bin', 'hello-deploy.js');
    const destroy = async () => {
      const eco = await deployed();
      const t0 = process.hrtime.bigint();
      const r = spawnSync(NODE, [bin, 'destroy', '--yes', '--json', '--ecosystem', eco, '--endpoint-url', endpoint], { env: ENV, encoding: 'utf8', cwd: work });
      const s = elapsed(t0);
      const last = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}');
      if (r.status !== 0 || last.ok !== true || last.deleted.length < 4) throw new Error(`destroy: exit ${r.status}\n${r.stdout.slice(-1500)}\n${r.stderr.slice(-800)}`);
      return s;
    };
    const cli = (args) => spawnSync(awsCli, [...args, '--endpoint-url', endpoint, '--region', 'us-east-1', '--output', 'json'], { env: ENV, encoding: 'utf8' });
    const must = (args) => {
      const r = cli(args);
      if (r.status !== 0) throw new Error(`aws ${args.join(' ')}: exit ${r.status}\n${r.stderr.slice(-800)}`);
      return JSON.parse(r.stdout || '{}');
    };
    const scripted = async () => {
      const eco = await deployed();
      const repo = `${eco}-hello-world-ecr`;
      const t0 = process.hrtime.bigint();
      const ids = must(['ecr', 'list-images', '--repository-name', repo]).imageIds ?? [];
      if (ids.length) must(['ecr', 'batch-delete-image', '--repository-name', repo, '--image-ids', JSON.stringify(ids)]);
      cli(['cloudformation', 'delete-stack', '--stack-name', `${eco}-hello-world-infra`]); // moto: DependencyViolation, stack gone (above)
      must(['cloudformation', 'wait', 'stack-delete-complete', '--stack-name', `${eco}-hello-world-infra`]);
      must(['cloudformation', 'delete-stack', '--stack-name', repo]);
      must(['cloudformation', 'wait', 'stack-delete-complete', '--stack-name', repo]);
      return elapsed(t0);
    };
    // One warm-up of each (Node's compile cache, moto's lazily loaded services, Python's bytecode cache).
    await destroy();
    await scripted();
    const load = loadavg()[0];
    const times = { destroy: [], scripted: [] };
    for (let i = 0; i < RUNS; i++) {
      times.destroy.push(await destroy());
      times.scripted.push(await scripted());
    }
    const d = median(times.destroy);
    const c = median(times.scripted);
    const ratio = d / c;
    for (const client of [cfn, acm, ecr]) client.destroy();
    return {
      name: 'destroy',
      results: { runs: RUNS, destroyS: d, scriptedAwsCliV2S: c, ratio, times, loadAverage1m: load, target: TARGET },
      pass: ratio <= TARGET.ratio,
      summary: `destroy --yes --json of a deployed ecosystem on moto: ${d.toFixed(2)} s vs ${c.toFixed(2)} s for the scripted AWS CLI v2 (empty the repository, delete-stack + wait twice): ratio ${ratio.toFixed(2)} (target ≤ ${TARGET.ratio}×); medians of ${RUNS}, load average ${load.toFixed(1)} on ${spawnSync('nproc', { encoding: 'utf8' }).stdout.trim()} cores`,
    };
  } finally {
    stop();
    rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log((await run()).summary);
