// Loads @peculiar/x509 on first use (so `--help` never pays for it), after the Reflect metadata polyfill it needs,
// and points it at Node's WebCrypto: keys and signatures come from Node's own OpenSSL, never a shelled-out openssl.
import { webcrypto } from 'node:crypto';

export type X509 = typeof import('@peculiar/x509');

let loading: Promise<X509> | undefined;

export function loadX509(): Promise<X509> {
  loading ??= (async () => {
    // @peculiar/x509's ASN.1 schemas use decorators that read Reflect metadata at import time.
    await import('reflect-metadata');
    const x509 = await import('@peculiar/x509');
    x509.cryptoProvider.set(webcrypto as unknown as Parameters<X509['cryptoProvider']['set']>[0]);
    return x509;
  })();
  return loading;
}
