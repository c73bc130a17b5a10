// The secrets scan that every CLI run and wizard screen in the suite goes through (test/support/secrets.ts) must be
// able to fail: each kind of secret, planted in an output, is caught; ordinary output passes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertNoSecrets, TEST_SECRET_ACCESS_KEY } from './support/secrets.ts';

test('a private key, the registry password or the secret key in any output fails the test that read it', () => {
  const planted = [
    '-----BEGIN PRIVATE KEY-----\nMIIEvQ…\n-----END PRIVATE KEY-----',
    '-----BEGIN EC PRIVATE KEY-----',
    '-----BEGIN ENCRYPTED PRIVATE KEY-----',
    'docker login -p 123456789012-auth-token',
    '{"password":"MTIzNDU2Nzg5MDEyLWF1dGgtdG9rZW4"}',
    `AWS_SECRET_ACCESS_KEY=${TEST_SECRET_ACCESS_KEY}`,
  ];
  for (const text of planted) assert.throws(() => assertNoSecrets(`line before\n${text}\nline after`, 'a planted output'), /appeared in a planted output/, text);
  assertNoSecrets('✔ Deployed: https://x\n-----BEGIN CERTIFICATE-----\n  image: r/p@sha256:1', 'an ordinary output');
});
