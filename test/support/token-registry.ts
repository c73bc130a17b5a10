// A registry that wants Bearer tokens, as Docker Hub, GHCR and public.ecr.aws do: Debian's docker-registry with
// `auth: token` (https://distribution.github.io/distribution/spec/auth/token), and beside it a token server on
// loopback that grants every scope to anyone, so anonymous pulls and pushes work. Tokens are real JWTs signed
// RS256 with a throwaway key whose self-signed certificate is the registry's rootcertbundle (the x5c header names
// it). Only 127.0.0.1, both servers.
import { spawn } from 'node:child_process';
import { X509Certificate, randomBytes, sign } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { makeTestCert } from './testcert.ts';
import { freePort, waitForPort } from './ports.ts';
import { REGISTRY_BINARY } from './registry.ts';

export interface TokenRegistry {
  /** `127.0.0.1:PORT` */
  host: string;
  /** The query of every token request so far (`service=…&scope=…`). */
  tokenRequests(): URLSearchParams[];
  stop(): Promise<void>;
}

const ISSUER = 'hello-deploy-test-issuer';
const SERVICE = 'hello-deploy-test-registry';
const b64url = (v: string | Buffer) => Buffer.from(v).toString('base64url');

export async function startTokenRegistry(binary = REGISTRY_BINARY): Promise<TokenRegistry> {
  const cert = makeTestCert('hello-deploy token issuer');
  const der = new X509Certificate(cert.certPem).raw.toString('base64');
  const requests: URLSearchParams[] = [];
  const tokens = http.createServer((req, res) => {
    const query = new URL(req.url ?? '/', 'http://127.0.0.1').searchParams;
    requests.push(query);
    // `repository:team/app:pull,push` → the access entry granting those actions.
    const access = query.getAll('scope').map((s) => {
      const parts = s.split(':');
      return { type: parts[0], name: parts.slice(1, -1).join(':'), actions: (parts.at(-1) ?? '').split(',') };
    });
    const now = Math.floor(Date.now() / 1000);
    const head = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', x5c: [der] }));
    const claims = b64url(JSON.stringify({ iss: ISSUER, sub: '', aud: query.get('service') ?? '', exp: now + 300, nbf: now - 10, iat: now, jti: randomBytes(8).toString('hex'), access }));
    const token = `${head}.${claims}.${b64url(sign('sha256', Buffer.from(`${head}.${claims}`), cert.keyPem))}`;
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ token, expires_in: 300 }));
  });
  await new Promise<void>((resolve) => tokens.listen(0, '127.0.0.1', resolve));
  const tokenPort = (tokens.address() as import('node:net').AddressInfo).port;

  const port = await freePort();
  const config = path.join(cert.dir, 'config.yml');
  writeFileSync(config, [
    'version: 0.1',
    'log:',
    '  level: warn',
    'http:',
    `  addr: 127.0.0.1:${port}`,
    'auth:',
    '  token:',
    `    realm: http://127.0.0.1:${tokenPort}/token`,
    `    service: ${SERVICE}`,
    `    issuer: ${ISSUER}`,
    `    rootcertbundle: ${JSON.stringify(path.join(cert.dir, 'cert.pem'))}`,
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${JSON.stringify(path.join(cert.dir, 'data'))}`,
    '',
  ].join('\n'));
  const child = spawn(binary, ['serve', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr?.on('data', (d: Buffer) => void (log += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    await new Promise<void>((resolve) => tokens.close(() => resolve()));
    rmSync(cert.dir, { recursive: true, force: true });
  };
  try {
    await waitForPort(port, 30_000);
  } catch (err) {
    await stop();
    throw new Error(`docker-registry with token auth did not start: ${(err as Error).message}\n${log.slice(-2000)}`, { cause: err });
  }
  return { host: `127.0.0.1:${port}`, tokenRequests: () => [...requests], stop };
}
