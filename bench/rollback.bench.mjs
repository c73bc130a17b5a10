// Rollback: `hello-deploy rollback --yes` on moto against the same rollback done by hand with the AWS CLI (v2, the
// pinned install bench/lib.mjs makes for the benches), against the same moto, alternating,
// three runs each, medians compared. By hand is three commands: read the stack's ImageId, list the repository's
// images by push time and take the one before it, and `cloudformation deploy` the infra template with that ImageId
// (its other parameters keep their values). hello-deploy does more for the same result (the preflight, both
// templates validated, the image's manifest and architecture read, the change followed and explained), so the
// target it sets itself is only "no slower than by hand" (≤ 1.0×).
// Set-up, untimed: two deploys of two prebuilt images (pushed to the loopback registry with the OCI API), each
// recorded in moto's ECR with PutImage (moto's ECR has no registry), one second apart; before each timed run the
// stack is put back on the second image.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { ROOT, NODE, median, roundRobin, awsCliV2, BENCH_AWS_ENV } from './lib.mjs';
import { startTestbed } from './deploy.bench.mjs';

const ENV = BENCH_AWS_ENV;
const ECO = 'bench-rb';
const STACK = `${ECO}-hello-world-infra`;
const REPO = `${ECO}-hello-world-ecr`;
const sha = (b) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

const sh = (cmd) => {
  const r = spawnSync('bash', ['-c', cmd], { env: ENV, encoding: 'utf8', cwd: ROOT });
  if (r.status !== 0) throw new Error(`${cmd}\n${r.stdout}\n${r.stderr}`);
  return r.stdout.trim();
};
const timed = (fn) => { const t0 = process.hrtime.bigint(); fn(); return Number(process.hrtime.bigint() - t0) / 1e9; };

/** A one-layer image of this machine's platform, pushed with the OCI distribution API (basic auth, as ECR's login). */
async function pushImage(registry, repository, tag) {
  const auth = { Authorization: `Basic ${Buffer.from('AWS:123456789012-auth-token').toString('base64')}` };
  const blob = async (bytes) => {
    const start = await fetch(`http://${registry}/v2/${repository}/blobs/uploads/`, { method: 'POST', headers: auth });
    const at = new URL(start.headers.get('location'), `http://${registry}`);
    at.searchParams.set('digest', sha(bytes));
    const put = await fetch(at, { method: 'PUT', headers: { ...auth, 'Content-Type': 'application/octet-stream' }, body: bytes });
    if (put.status !== 201) throw new Error(`blob upload: HTTP ${put.status}`);
    return { digest: sha(bytes), size: bytes.length };
  };
  const layer = await blob(Buffer.from(`release ${tag}\n`));
  const config = await blob(Buffer.from(JSON.stringify({ os: 'linux', architecture: process.arch === 'arm64' ? 'arm64' : 'amd64', rootfs: { type: 'layers', diff_ids: [layer.digest] }, config: {} })));
  const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config }, layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', ...layer }] }));
  const res = await fetch(`http://${registry}/v2/${repository}/manifests/${tag}`, { method: 'PUT', headers: { ...auth, 'Content-Type': 'application/vnd.oci.image.manifest.v1+json' }, body: manifest });
  if (res.status !== 201) throw new Error(`manifest PUT: HTTP ${res.status} ${await res.text()}`);
  return { digest: sha(manifest), manifest: manifest.toString('utf8'), ref: `${registry}/${repository}@${sha(manifest)}`, tag };
}

export async function run() {
  const bed = await startTestbed();
  const { work, endpoint, registry } = bed;
  const cli = (args) => sh(`${NODE} ${ROOT}/bin/hello-deploy.js ${args} --ecosystem ${ECO} --endpoint-url ${endpoint} --registry ${registry}`);
  // AWS CLI v2 (the pinned bench install), as the other lifecycle benches compare with.
  const awsCli = awsCliV2();
  const a = `${awsCli} --endpoint-url ${endpoint}`;
  try {
    bed.reset();
    const { ECRClient, PutImageCommand } = await import('@aws-sdk/client-ecr');
    const ecr = new ECRClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' }, maxAttempts: 1 });
    const images = [];
    for (const tag of ['v1', 'v2']) {
      const i = await pushImage(registry, 'prebuilt/app', tag);
      if (images.length) await new Promise((r) => setTimeout(r, 1_100)); // moto's imagePushedAt has second precision
      cli(`deploy --yes --json --email ops@example.com --cert ${work}/cert.pem --key ${work}/key.pem --image ${i.ref}`);
      await ecr.send(new PutImageCommand({ repositoryName: REPO, imageManifest: i.manifest, imageTag: tag, imageDigest: i.digest }));
      images.push(i);
    }
    const [v1, v2] = images;
    const imageId = () => sh(`${a} cloudformation describe-stacks --stack-name ${STACK} --query "Stacks[0].Parameters[?ParameterKey=='ImageId'].ParameterValue" --output text`);
    const onV2 = () => {
      cli('rollback --yes --json --to v2');
      if (imageId() !== v2.ref) throw new Error('the stack is not back on v2');
    };
    const checked = (s) => {
      if (imageId() !== v1.ref) throw new Error(`the rollback left ImageId at ${imageId()}, not ${v1.ref}`);
      return s;
    };
    const ours = () => {
      onV2();
      return checked(timed(() => cli('rollback --yes --json')));
    };
    const byHand = () => {
      onV2();
      return checked(timed(() => sh([
        `current=$(${a} cloudformation describe-stacks --stack-name ${STACK} --query "Stacks[0].Parameters[?ParameterKey=='ImageId'].ParameterValue" --output text)`,
        `previous=$(${a} ecr describe-images --repository-name ${REPO} --query "sort_by(imageDetails,&imagePushedAt)[].imageDigest" --output text | tr '\\t' '\\n' | grep -B1 -x "\${current##*@}" | head -1)`,
        `${a} cloudformation deploy --template-file infra/hello-world-infra.yaml --stack-name ${STACK} --capabilities CAPABILITY_IAM CAPABILITY_NAMED_IAM --parameter-overrides ImageId=\${current%@*}@\${previous} > /dev/null`,
      ].join(' && '))));
    };
    ours(); // warm-up of both (moto's lazily loaded services, the compile cache)
    byHand();
    const { ours: oursS, byHand: handS } = roundRobin({ byHand, ours }, 3);
    const o = median(oursS);
    const h = median(handS);
    const ratio = o / h;
    const cliVersion = spawnSync(awsCli, ['--version'], { encoding: 'utf8' });
    return {
      name: 'rollback',
      results: { runs: 3, helloDeployS: oursS, byHandS: handS, medianHelloDeployS: o, medianByHandS: h, ratio, awsCli: `${cliVersion.stdout}${cliVersion.stderr}`.trim().split(' ')[0] },
      pass: ratio <= 1,
      summary: `rollback against moto: hello-deploy rollback --yes ${o.toFixed(1)} s (median of 3), by hand with AWS CLI v2 (describe-stacks, describe-images, cloudformation deploy) ${h.toFixed(1)} s; ratio ${ratio.toFixed(2)} (its own target: ≤ 1.0×)`,
    };
  } finally {
    bed.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log((await run()).summary);
