// One HTTPS GET to the app running on loopback, recording what a client sees: status, body and the SHA-256
// fingerprint of the certificate presented. The certificate is self-signed, so it is not verified here: the
// fingerprint comparison with the generated pair is the check that the right certificate is served.
import https from 'node:https';
import net from 'node:net';
import tls, { type TLSSocket } from 'node:tls';
import type { HttpsAnswer } from '../../ports/rehearsal.ts';

const MAX_BODY = 64 * 1024;

export function httpsGet(url: string, timeoutMs: number, opts: { servername?: string } = {}): Promise<HttpsAnswer> {
  return new Promise((resolve, reject) => {
    // With a domain: the name as SNI (which certificate the proxy picks) and as Host (what the app is asked for).
    const named = opts.servername ? { servername: opts.servername, headers: { host: opts.servername } } : {};
    const req = https.get(url, { rejectUnauthorized: false, agent: false, timeout: timeoutMs, ...named }, (res) => {
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

/** A real TLS handshake offering at most `maxVersion`: the protocol agreed, or undefined when the server refused. */
export function handshake(port: number, maxVersion: 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3'): Promise<string | undefined> {
  return new Promise((resolve) => {
    // SECLEVEL=0 lets this client really offer TLS 1.1, so a refusal is the server's policy, not Node's own.
    const s = tls.connect({ host: '127.0.0.1', port, maxVersion, minVersion: 'TLSv1', rejectUnauthorized: false, ciphers: 'DEFAULT@SECLEVEL=0', timeout: 5_000 });
    s.once('secureConnect', () => {
      resolve(s.getProtocol() ?? undefined);
      s.destroy();
    });
    s.once('timeout', () => s.destroy(new Error('timeout')));
    s.once('error', () => resolve(undefined));
  });
}

/** True when a plain-HTTP GET to 127.0.0.1:port gets an HTTP status line back. */
export function plainHttpAnswered(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    let got = '';
    const s = net.connect(port, '127.0.0.1', () => s.write('GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n'));
    s.on('data', (c: Buffer) => {
      got += c.toString('latin1');
    });
    s.setTimeout(3_000, () => s.destroy());
    s.once('close', () => resolve(/^HTTP\/\d/.test(got)));
    s.once('error', () => undefined);
  });
}
