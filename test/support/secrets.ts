// The secrets scan: every output a test reads from hello-deploy (the CLI's stdout and stderr, NDJSON lines, the
// wizard's screens) goes through here, and a private key, a registry password or a secret access key in any of
// them fails that test at once. The secrets are the ones the tests themselves hand in, so each is known exactly.
import assert from 'node:assert/strict';

/** The fake secret key the tests' AWS environment carries (test/support/moto.ts): distinctive, so a leak is found. */
export const TEST_SECRET_ACCESS_KEY = 'hd-test-secret-key-never-printed';

const SECRETS: Array<[what: string, pattern: RegExp]> = [
  // A PEM private key of any kind (PKCS#8, RSA, EC, encrypted): its armour never appears around anything else.
  ['a private key', /-----BEGIN (?:[A-Z]+ )*PRIVATE KEY-----/],
  // moto's GetAuthorizationToken password (base64 "AWS:<account>-auth-token"), decoded or not.
  ['the registry password', /123456789012-auth-token|MTIzNDU2Nzg5MDEyLWF1dGgtdG9rZW4/],
  ['the secret access key', new RegExp(TEST_SECRET_ACCESS_KEY)],
];

let scanned = 0;

/** Fails when `text` holds a secret; `where` says which output it was. */
export function assertNoSecrets(text: string, where: string): void {
  scanned++;
  for (const [what, pattern] of SECRETS) assert.doesNotMatch(text, pattern, `${what} appeared in ${where}`);
}

/** How many outputs this test process has scanned (reported by the suites that run many). */
export const secretsScanned = (): number => scanned;
