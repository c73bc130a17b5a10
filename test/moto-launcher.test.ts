// hello-deploy's moto launcher (localstack/moto_launcher.py): moto_server with the extensions of
// localstack/moto_ext/ applied, pinned to the moto version the project installs. It answers as moto does, and says
// on stderr which extensions it applied; a moto other than the pinned one stops it at start-up.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { startMoto, FAKE_AWS_ENV } from './support/moto.ts';
import { ROOT, venvTool } from './support/paths.ts';

test('the launcher serves moto, with its extensions applied and named', async () => {
  const moto = await startMoto({ launcher: true });
  try {
    const sts = new STSClient({ endpoint: moto.endpoint, region: 'us-east-1', credentials: { accessKeyId: FAKE_AWS_ENV.AWS_ACCESS_KEY_ID, secretAccessKey: FAKE_AWS_ENV.AWS_SECRET_ACCESS_KEY } });
    assert.equal((await sts.send(new GetCallerIdentityCommand({}))).Account, '123456789012');
    sts.destroy();
  } finally {
    await moto.stop();
  }
});

test('a moto version other than the pinned one stops the launcher at start-up, naming both', () => {
  // The launcher's own check, run against a moto that claims another version (a shim module first on the path).
  const script = `import sys, types; m = types.ModuleType('moto'); m.__version__ = '9.9.9'; sys.modules['moto'] = m; sys.argv = ['x']; sys.path.insert(0, ${JSON.stringify(path.join(ROOT, 'localstack'))}); import moto_launcher; moto_launcher.main([])`;
  const r = spawnSync(venvTool('python'), ['-c', script], { encoding: 'utf8', timeout: 30_000 });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /moto 9\.9\.9 is installed, the extensions are written for 5\.2\.5/);
});
