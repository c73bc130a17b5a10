// SmokePort: after a deploy, prove the load balancer answers HTTPS and does not answer plain HTTP.
// Plain node:http/https (no SDK) so it says exactly what happened on the wire.
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { AbortError } from '../core/errors.ts';
import type { SmokePort } from '../ports/deploy.ts';

export type ProbeResult = 'refused' | 'timeout' | 'answered' | 'unresolvable';

export interface SmokeOptions {
  /** Name resolution override (tests use it to exercise 'unresolvable' without sending a DNS query). */
  lookup?: LookupFunction;
  /**
   * The CAs a verified check (`verifyFor`) trusts instead of Node's bundled ones: tests pass their own test CA. Unset
   * in production, where only the public CAs Node ships count (ACM's certificates chain to Amazon's roots).
   */
  ca?: string | Buffer | Array<string | Buffer>;
}

/** What Node's TLS says when a chain or a name does not verify (the X509_V_ERR_* names, and the hostname check). */
const UNTRUSTED = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'CERT_UNTRUSTED', 'CERT_REJECTED', 'ERR_TLS_CERT_ALTNAME_INVALID',
]);

export interface Smoke extends SmokePort {
  /** `port` is 80 in production; tests point it at a local port. */
  httpProbe(host: string, timeoutMs: number, port?: number): Promise<ProbeResult>;
}

/** The most of a response body we keep: the app answers a short greeting, anything bigger is not ours. */
const MAX_BODY = 64 * 1024;
const UNRESOLVABLE = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_NODATA']);

export function createSmoke(opts: SmokeOptions = {}): Smoke {
  return {
    httpsGet(url, timeoutMs, check = {}) {
      const domain = check.verifyFor;
      return new Promise((resolve, reject) => {
        const req = https.get(url, {
          // Without --domain the ALB serves the self-signed certificate hello-deploy generated and imported into
          // ACM, so no public CA vouches for it: this check proves HTTPS is served; trust is the user's decision.
          // With --domain the certificate is ACM's: Node verifies the chain against its CAs and the name against
          // the domain (servername is also the SNI the ALB picks the certificate by), exactly as a browser would.
          ...(domain ? { servername: domain, ...(opts.ca ? { ca: opts.ca } : {}) } : { rejectUnauthorized: false }),
          // No keep-alive pool: a pooled socket to the ALB would hold the CLI open after the check.
          agent: false,
          ...(opts.lookup ? { lookup: opts.lookup } : {}),
        });
        const timer = setTimeout(() => req.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
        req.once('response', (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            if (size < MAX_BODY) chunks.push(chunk.subarray(0, MAX_BODY - size));
            size += chunk.length;
          });
          res.once('end', () => {
            clearTimeout(timer);
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
          });
          res.once('error', (err) => { clearTimeout(timer); reject(smokeError(url, err)); });
        });
        req.once('error', (err: NodeJS.ErrnoException) => {
          clearTimeout(timer);
          reject(domain && err.code !== undefined && UNTRUSTED.has(err.code) ? untrusted(url, domain, err) : smokeError(url, err));
        });
      });
    },

    httpProbe(host, timeoutMs, port = 80) {
      return new Promise((resolve) => {
        let connected = false;
        let settled = false;
        const done = (r: ProbeResult) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          req.destroy();
          resolve(r);
        };
        const req = http.get({ host, port, path: '/', agent: false, ...(opts.lookup ? { lookup: opts.lookup } : {}) });
        // Once TCP connects, port 80 is open: that already breaks "HTTPS only", whatever comes next.
        req.once('socket', (sock) => sock.once('connect', () => { connected = true; }));
        const timer = setTimeout(() => done(connected ? 'answered' : 'timeout'), timeoutMs);
        req.once('response', (res) => { res.resume(); done('answered'); });
        req.once('error', (err: NodeJS.ErrnoException) => {
          if (connected) return done('answered');
          if (err.code === 'ECONNREFUSED') return done('refused');
          if (err.code !== undefined && UNRESOLVABLE.has(err.code)) return done('unresolvable');
          // Unreachable networks and resets before connect look, from the outside, like a dropped packet.
          done('timeout');
        });
      });
    },
  };
}

function untrusted(url: string, domain: string, err: NodeJS.ErrnoException): AbortError {
  return new AbortError('DOMAIN_TLS_UNTRUSTED', `${url} served a certificate a browser would refuse for ${domain}: ${err.message} (${err.code}).`, {
    hint: `The listener should present the ACM certificate for ${domain}. Check that ${domain} resolves to this stack's load balancer (a stale DNS record may still point elsewhere), and the certificate's status with \`aws acm describe-certificate\`.`,
    cause: err,
  });
}

function smokeError(url: string, err: Error): AbortError {
  return new AbortError('SMOKE_HTTPS_FAILED', `GET ${url} failed: ${err.message}`, {
    hint: 'A new load balancer can take a few minutes to resolve and pass health checks; retry, then check the target group health in the console.',
    cause: err,
  });
}
