// One HTTPS GET to the app running on loopback, recording what a client sees: status, body and the SHA-256
// fingerprint of the certificate presented. The certificate is self-signed, so it is not verified here: the
// fingerprint comparison with the generated pair is the check that the right certificate is served.
import https from 'node:https';
import type { TLSSocket } from 'node:tls';
import type { HttpsAnswer } from '../../ports/rehearsal.ts';

const MAX_BODY = 64 * 1024;

export function httpsGet(url: string, timeoutMs: number): Promise<HttpsAnswer> {
  return new Promise((resolve, reject) => {
    const req = https.get(url, { rejectUnauthorized: false, agent: false, timeout: timeoutMs }, (res) => {
      const cert = (res.socket as TLSSocket).getPeerCertificate();
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        if (size < MAX_BODY) chunks.push(c.subarray(0, MAX_BODY - size));
        size += c.length;
      });
      res.once('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), fingerprint: cert?.fingerprint256 ?? '' }));
      res.once('error', reject);
    });
    req.once('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.once('error', reject);
  });
}
