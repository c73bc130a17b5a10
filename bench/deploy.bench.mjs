// Full run: `hello-deploy deploy --yes` against moto, against the original project's nine commands scripted with
// AWS CLI v2 (the current one, which the target was set against) against the same moto, measured in the same run.
// Target: ≤ 0.5×.
// Both start from an empty emulator (reset before each run) with a warm Docker build cache and a registry that
// already holds the base layers, as a redeploy after a code change would; both push to the same local registry
// (moto's ECR has no registry). Runs alternate, three each, and the medians are compared.
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT, NODE, median, roundRobin, awsCliV2, freePort, waitPort } from './lib.mjs';

const BASE_IMAGE = 'hello-deploy/python-base:trixie';
// AWS_PAGER='': AWS CLI v2 otherwise pipes its output through a pager.
const ENV = { ...process.env, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_REGION: 'us-east-1', AWS_DEFAULT_REGION: 'us-east-1', AWS_EC2_METADATA_DISABLED: 'true', AWS_PAGER: '', CI: 'true', HELLO_DEPLOY_BASE_IMAGE: BASE_IMAGE };

const sh = (cmd, opts = {}) => {
  const r = spawnSync('bash', ['-c', cmd], { env: ENV, encoding: 'utf8', ...opts });
  if (r.status !== 0) throw new Error(`${cmd}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
};
const timed = (fn) => { const t0 = process.hrtime.bigint(); fn(); return Number(process.hrtime.bigint() - t0) / 1e9; };

/**
 * The test bed every deploy bench shares: moto and an htpasswd-guarded registry (as ECR's login expects) on free
 * loopback ports, and a self-signed certificate. reset() empties moto; stop() ends both and removes what the runs
 * left (the temp folder, the image tags, the registry login).
 */
export async function startTestbed() {
  const work = mkdtempSync(path.join(tmpdir(), 'hd-bench-'));
  const motoPort = await freePort();
  const regPort = await freePort();
  const endpoint = `http://127.0.0.1:${motoPort}`;
  const registry = `127.0.0.1:${regPort}`;
  const moto = spawn(path.join(ROOT, '.venv/bin/moto_server'), ['-H', '127.0.0.1', '-p', String(motoPort)], { env: ENV, stdio: 'ignore' });
  writeFileSync(path.join(work, 'htpasswd'), execFileSync('htpasswd', ['-Bbn', 'AWS', '123456789012-auth-token'], { encoding: 'utf8' }));
  writeFileSync(path.join(work, 'config.yml'), `version: 0.1\nlog: {level: error}\nstorage: {filesystem: {rootdirectory: ${work}/data}}\nhttp: {addr: 127.0.0.1:${regPort}}\nauth: {htpasswd: {realm: bench, path: ${work}/htpasswd}}\n`);
  const reg = spawn('/usr/bin/docker-registry', ['serve', path.join(work, 'config.yml')], { stdio: 'ignore' });
  const stop = () => {
    moto.kill('SIGTERM');
    reg.kill('SIGTERM');
    rmSync(work, { recursive: true, force: true });
    // The tags both sides left: the build tags and the ones for the throwaway registry (layers stay cached).
    const tags = spawnSync('docker', ['images', '--format', '{{.Repository}}:{{.Tag}}'], { encoding: 'utf8' }).stdout?.split('\n')
      .filter((t) => t.startsWith('bench-hello-world:') || t.startsWith(`${registry}/`)) ?? [];
    if (tags.length) spawnSync('docker', ['rmi', ...tags], { stdio: 'ignore' });
    spawnSync('docker', ['logout', registry], { stdio: 'ignore' }); // both sides logged in to it
  };
  try {
    await Promise.all([waitPort(motoPort), waitPort(regPort)]);
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=bench.test', '-days', '30', '-keyout', `${work}/key.pem`, '-out', `${work}/cert.pem`], { stdio: 'ignore' });
  } catch (e) {
    stop();
    throw e;
  }
  return { work, endpoint, registry, reset: () => sh(`curl -sf -X POST ${endpoint}/moto-api/reset`), stop };
}

/** One timed `hello-deploy deploy --yes` of the checkout at `root` (its own bundle and project files), from an empty moto. */
export function deployOnce(bed, root = ROOT, extra = '') {
  bed.reset();
  const { work, endpoint, registry } = bed;
  return timed(() => sh(`${NODE} ${root}/bin/hello-deploy.js deploy --yes ${extra} --ecosystem bench --email ops@example.com --cert ${work}/cert.pem --key ${work}/key.pem --endpoint-url ${endpoint} --registry ${registry} --deploy-method direct`, { cwd: root }));
}

export async function run() {
  const aws = awsCliV2();
  const bed = await startTestbed();
  const { work, endpoint, registry } = bed;
  try {
    const importCert = () => JSON.parse(sh(`${aws} --endpoint-url ${endpoint} acm import-certificate --certificate fileb://${work}/cert.pem --private-key fileb://${work}/key.pem`)).CertificateArn;
    const ours = () => deployOnce(bed);
    // The original README's commands 1–8, with the corrections any working script needs (an endpoint, the local
    // registry, ImageId at :latest as the original did). The certificate import is set-up, outside the timing.
    const original = () => {
      bed.reset();
      const arn = importCert();
      const a = `${aws} --endpoint-url ${endpoint}`;
      const repo = `${registry}/bench-hello-world-ecr`;
      return timed(() => sh([
        `${a} cloudformation validate-template --template-body file://infra/hello-world-ecr-infra.yaml > /dev/null`,
        `${a} cloudformation validate-template --template-body file://infra/hello-world-infra.yaml > /dev/null`,
        `${a} cloudformation deploy --template-file infra/hello-world-ecr-infra.yaml --stack-name bench-hello-world-ecr --parameter-overrides Ecosystem=bench > /dev/null`,
        `${a} ecr get-login-password | docker login --username AWS --password-stdin ${registry} > /dev/null 2>&1`,
        `docker build -q --network host --build-arg BASE_IMAGE=${BASE_IMAGE} -t bench-hello-world . > /dev/null 2>&1`,
        `docker tag bench-hello-world:latest ${repo}:latest`,
        `docker push ${repo}:latest > /dev/null`,
        `${a} cloudformation deploy --template-file infra/hello-world-infra.yaml --stack-name bench-hello-world-infra --capabilities CAPABILITY_IAM --parameter-overrides EmailAddress=ops@example.com Ecosystem=bench ImageId=${repo}:latest SSLCert=${arn} > /dev/null`,
      ].join(' && '), { cwd: ROOT }));
    };
    ours(); // warm-up: the build cache and the registry's layers, for both
    const { ours: oursS, original: origS } = roundRobin({ original, ours }, 3);
    const o = median(oursS);
    const g = median(origS);
    const ratio = o / g;
    return {
      name: 'deploy',
      results: { runs: 3, helloDeployS: oursS, nineCommandsS: origS, medianHelloDeployS: o, medianNineCommandsS: g, ratio },
      pass: ratio <= 0.5,
      summary: `full deploy against moto: hello-deploy ${o.toFixed(1)} s (median of 3), the nine AWS CLI v2 commands ${g.toFixed(1)} s; ratio ${ratio.toFixed(2)} (target ≤ 0.5×)`,
    };
  } finally {
    bed.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log((await run()).summary);
