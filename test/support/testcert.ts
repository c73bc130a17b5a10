// A throwaway self-signed certificate + key (PEM) for tests, made by the system openssl in a fresh temp dir.
// The key file is 0600 like every private key the project writes; callers remove `dir` in their `after` hook.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface TestCert {
  certPem: string;
  keyPem: string;
  /** The temp dir holding cert.pem and key.pem; delete it with rmSync(dir, { recursive: true, force: true }). */
  dir: string;
}

export function makeTestCert(commonName = 'hello-deploy.test'): TestCert {
  const dir = mkdtempSync(path.join(tmpdir(), 'hello-deploy-testcert-'));
  const certFile = path.join(dir, 'cert.pem');
  const keyFile = path.join(dir, 'key.pem');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${commonName}`, '-days', '30',
    '-keyout', keyFile, '-out', certFile,
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  chmodSync(keyFile, 0o600);
  return { certPem: readFileSync(certFile, 'utf8'), keyPem: readFileSync(keyFile, 'utf8'), dir };
}
