// What generate-certs prints: one JSON object (success or error) with --json, or a few human lines. Built only from
// public facts (paths, names, dates, fingerprint, ARN); the private key is not an input to anything here.
import path from 'node:path';
import type { ErrorShape } from '../core/errors.ts';

export interface GenerateCertsResult {
  ok: true;
  certPath: string;
  keyPath: string;
  /** The key file's permission bits as read back from disk, e.g. "0600". */
  keyFileMode: string;
  fingerprintSha256: string;
  serialNumber: string;
  notBefore: string;
  notAfter: string;
  subject: string;
  commonName: string;
  sans: string[];
  keyType: string;
  days: number;
  certificateArn?: string;
  /** True when --rotate re-imported into an existing ARN. */
  rotated?: boolean;
  region?: string;
  ecosystem?: string;
  tags?: Record<string, string>;
  warnings: string[];
}

export interface GenerateCertsFailure {
  ok: false;
  error: ErrorShape;
}

function shown(p: string, cwd: string): string {
  const rel = path.relative(cwd, p);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : p;
}

export function formatHuman(r: GenerateCertsResult, cwd: string): string {
  const lines = [
    `✔ Self-signed certificate for ${r.commonName} (${r.keyType}, ${r.days} day${r.days === 1 ? '' : 's'})`,
    `  certificate  ${shown(r.certPath, cwd)}`,
    `  private key  ${shown(r.keyPath, cwd)}  (mode ${r.keyFileMode}: readable by you only; it is never printed)`,
    `  names        ${r.sans.join(', ')}`,
    `  sha-256      ${r.fingerprintSha256}`,
    `  valid        ${r.notBefore} → ${r.notAfter}`,
  ];
  if (r.certificateArn !== undefined) {
    const how = r.rotated === true ? `re-imported in place in ${r.region ?? 'its region'} (same ARN, listeners keep working)`
      : `imported into ${r.region ?? 'ACM'}${r.tags ? `, tagged ${Object.entries(r.tags).map(([k, v]) => `${k}=${v}`).join(', ')}` : ''}`;
    lines.push(`  ACM          ${r.certificateArn}`, `               ${how}`);
    lines.push('  note         ACM never renews imported certificates: rotate before the date above with --force --rotate <arn>.');
  }
  for (const w of r.warnings) lines.push(`  ! ${w}`);
  lines.push('', `Next: ${nextStep(r, cwd)}`);
  return `${lines.join('\n')}\n`;
}

/** What to run now: a deploy picks app/certs up by itself; a pair elsewhere, or an ACM import, is named. */
function nextStep(r: GenerateCertsResult, cwd: string): string {
  if (r.certificateArn !== undefined) return `npx hello-deploy deploy --cert-arn ${r.certificateArn} (or npx hello-deploy for the wizard)`;
  const isDefault = path.relative(cwd, r.certPath) === path.join('app', 'certs', 'cert.pem');
  return isDefault
    ? 'npx hello-deploy (the wizard, which uses app/certs), or npx hello-deploy deploy --yes --email you@example.com'
    : `npx hello-deploy deploy --cert ${shown(r.certPath, cwd)} --key ${shown(r.keyPath, cwd)}`;
}
