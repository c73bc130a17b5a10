// What `npm pack` (and so a publish) would ship: never a private key from app/certs, where generate-certs writes
// by default, nor the app's tests or bytecode. npm's `files` list is not narrowed by .gitignore, so this is checked
// on the real packer with a real file in the folder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { ROOT } from './support/paths.ts';

test('npm pack leaves out app/certs (keys), app/tests and __pycache__, and keeps what the CLI needs', async () => {
  const certs = path.join(ROOT, 'app', 'certs');
  const hadCerts = existsSync(certs);
  const probe = path.join(certs, 'pack-probe-key.pem'); // a name of our own, so a developer's pair is never touched
  mkdirSync(certs, { recursive: true, mode: 0o700 });
  writeFileSync(probe, 'not a key: a probe for npm pack\n', { mode: 0o600 });
  try {
    const r = await execa('npm', ['pack', '--dry-run', '--ignore-scripts', '--json'], { cwd: ROOT });
    const [pack] = JSON.parse(r.stdout) as Array<{ files: Array<{ path: string }> }>;
    const files = pack!.files.map((f) => f.path);
    assert.deepEqual(files.filter((f) => f.startsWith('app/certs') || f.startsWith('app/tests') || f.includes('__pycache__')), []);
    for (const needed of ['bin/hello-deploy.js', 'dist/main.js', 'infra/hello-world-infra.yaml', 'infra/hello-world-ecr-infra.yaml', 'infra/hello-world-ci-role.yaml', 'app/app.py', 'app/requirements.txt', 'Dockerfile', '.dockerignore']) {
      assert.ok(files.includes(needed), `${needed} is in the package`);
    }
  } finally {
    rmSync(hadCerts ? probe : certs, { recursive: true, force: true });
  }
});
