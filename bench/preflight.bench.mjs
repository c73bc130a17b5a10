// Preflight: `hello-deploy deploy --yes` on moto with a planted name collision (a log group named like the stack's,
// left behind by an earlier stack) must exit 1, naming the resource and its fix, and create no stack, in under 2 s
// (issue 12). `doctor` on the same account is timed beside it, for information. Each run starts from a reset moto with
// the log group planted again; runs alternate, five each, and the medians are reported with the machine's load
// average (this machine is a shared 2-core VM: a busy minute stretches every figure).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT, NODE, median, freePort, waitPort } from './lib.mjs';

const ENV = { ...process.env, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_REGION: 'us-east-1', AWS_DEFAULT_REGION: 'us-east-1', AWS_EC2_METADATA_DISABLED: 'true', CI: 'true' };
const TARGET_S = 2;
const RUNS = 5;
const ECOSYSTEM = 'bench-pf';


export async function run() {
  const work = mkdtempSync(path.join(tmpdir(), 'hd-bench-pf-'));
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const moto = spawn(path.join(ROOT, '.venv/bin/moto_server'), ['-H', '127.0.0.1', '-p', String(port)], { env: ENV, stdio: 'ignore' });
  try {
    await waitPort(port);
    spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=bench.test', '-days', '30', '-keyout', path.join(work, 'key.pem'), '-out', path.join(work, 'cert.pem')], { stdio: 'ignore' });
    const aws = { endpoint, region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' }, maxAttempts: 1 };
    const [{ CloudWatchLogsClient, CreateLogGroupCommand }, { CloudFormationClient, ListStacksCommand }] = await Promise.all([import('@aws-sdk/client-cloudwatch-logs'), import('@aws-sdk/client-cloudformation')]);
    const plant = async () => {
      await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
      await new CloudWatchLogsClient(aws).send(new CreateLogGroupCommand({ logGroupName: `/ecs/${ECOSYSTEM}-hello-world` }));
    };
    const pair = ['--cert', path.join(work, 'cert.pem'), '--key', path.join(work, 'key.pem')];
    const bin = path.join(ROOT, 'bin', 'hello-deploy.js');
    const deployArgs = [bin, 'deploy', '--yes', '--json', '--ecosystem', ECOSYSTEM, '--email', 'ops@example.com', ...pair, '--endpoint-url', endpoint, '--deploy-method', 'direct'];
    // No --image: its manifest would be read first (the CPU architecture); the build only starts after step 1, whose
    // preflight refuses the deploy, so what is timed is the preflight's refusal (the Docker engine is only pinged).
    const doctorArgs = [bin, 'doctor', '--json', '--ecosystem', ECOSYSTEM, ...pair, '--endpoint-url', endpoint];
    /** One timed run that must exit 1 with PREFLIGHT_FAILED naming the log group. */
    const refused = (args) => {
      const t0 = process.hrtime.bigint();
      const r = spawnSync(NODE, args, { env: ENV, encoding: 'utf8' });
      const s = Number(process.hrtime.bigint() - t0) / 1e9;
      const result = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}');
      if (r.status !== 1 || result.error?.code !== 'PREFLIGHT_FAILED' || !result.error.message.includes(`/ecs/${ECOSYSTEM}-hello-world`) || !/fix: /.test(result.error.message)) {
        throw new Error(`expected exit 1 with PREFLIGHT_FAILED naming the log group, got exit ${r.status}:\n${r.stdout.slice(-1500)}\n${r.stderr.slice(-800)}`);
      }
      return s;
    };
    // One warm-up of each (compile cache, moto's lazily loaded services), as every run after a user's first is.
    await plant();
    refused(deployArgs);
    refused(doctorArgs);
    const load = loadavg()[0];
    const times = { deploy: [], doctor: [] };
    for (let i = 0; i < RUNS; i++) {
      for (const [k, args] of [['deploy', deployArgs], ['doctor', doctorArgs]]) {
        await plant();
        times[k].push(refused(args));
        if (k === 'deploy') {
          const stacks = (await new CloudFormationClient(aws).send(new ListStacksCommand({}))).StackSummaries ?? [];
          if (stacks.length) throw new Error(`the refused deploy created ${stacks.map((x) => x.StackName).join(', ')}`);
        }
      }
    }
    const deploy = median(times.deploy);
    const doctor = median(times.doctor);
    return {
      name: 'preflight',
      results: { runs: RUNS, deployRefusedS: deploy, doctorS: doctor, allDeployS: times.deploy, loadAverage1m: load, targetS: TARGET_S },
      pass: deploy < TARGET_S,
      summary: `deploy --yes on moto with a planted log group: exit 1 (PREFLIGHT_FAILED, the log group and its fix named, no stack) in ${deploy.toFixed(2)} s (median of ${RUNS}; target < ${TARGET_S} s); doctor ${doctor.toFixed(2)} s; load average ${load.toFixed(1)} on ${spawnSync('nproc', { encoding: 'utf8' }).stdout.trim()} cores`,
    };
  } finally {
    moto.kill('SIGTERM');
    rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log((await run()).summary);
