// The defaults and limits the generate-certs help text shows. No imports: `hello-deploy --help` loads this file,
// and must not pay for node:crypto or the certificate code to print a number.
export const DEFAULT_OUT_DIR = 'app/certs';
export const DEFAULT_COMMON_NAME = 'hello-deploy.local';
export const DEFAULT_DAYS = 365;
export const KEY_TYPES = ['rsa2048', 'ecdsa-p256'] as const;
export type GeneratedKeyType = (typeof KEY_TYPES)[number];
export const DEFAULT_KEY_TYPE: GeneratedKeyType = 'rsa2048';
/** 825 days: the longest validity browsers and Apple platforms still accept for a TLS server certificate. */
export const MAX_DAYS = 825;

export type SubjectName = { type: 'dns'; value: string } | { type: 'ip'; value: string };
