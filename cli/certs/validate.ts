// Validators for everything a user can type into generate-certs (and, later, the wizard and deploy). Each one
// either returns the normalized value or throws a UsageError (exit 2) that names the input and the fix, and they
// all run before any file is written or any AWS call is made.
import { isIP } from 'node:net';
import { UsageError } from '../core/errors.ts';

import { KEY_TYPES, MAX_DAYS, type GeneratedKeyType, type SubjectName } from '../domain/certificates/defaults.ts';
import { shown } from '../domain/shown.ts';

export { KEY_TYPES, MAX_DAYS, type GeneratedKeyType, type SubjectName };

/** X.509 caps a common name at 64 characters (ub-common-name); longer names can only be SANs. */
export const MAX_COMMON_NAME_LENGTH = 64;
/** A bound so a typo cannot produce an unwieldy certificate; ACM's own default quota is 10 names per certificate. */
export const MAX_SANS = 100;

export function parseDays(raw: string): number {
  const hint = `Give a whole number of days from 1 to ${MAX_DAYS} (default 365).`;
  if (!/^\d{1,6}$/.test(raw.trim())) throw new UsageError('DAYS_INVALID', `--days must be a whole number of days, not ${shown(raw)}.`, { hint });
  const days = Number(raw.trim());
  if (days < 1) throw new UsageError('DAYS_INVALID', '--days must be at least 1.', { hint });
  if (days > MAX_DAYS) throw new UsageError('DAYS_INVALID', `--days ${days} is more than ${MAX_DAYS}, the longest validity browsers accept.`, { hint });
  return days;
}

export function parseKeyType(raw: string): GeneratedKeyType {
  const value = raw.trim().toLowerCase();
  const found = KEY_TYPES.find((k) => k === value);
  if (found === undefined) {
    throw new UsageError('KEY_TYPE_INVALID', `Unknown --key-type ${shown(raw)}.`, {
      hint: `Choose one of: ${KEY_TYPES.join(', ')} (both are accepted by ACM and served by an Application Load Balancer).`,
    });
  }
  return found;
}


/**
 * A DNS name (RFC 1123 labels, optional `*.` wildcard as the whole first label) or an IPv4/IPv6 address.
 * DNS names are lowercased. Trailing dots, underscores, empty labels and all-numeric top-level labels are refused.
 */
export function parseSubjectName(raw: string, flag = '--san'): SubjectName {
  const value = raw.trim();
  const hint = 'Use a DNS name such as app.example.com (or *.example.com) or an IP address such as 127.0.0.1.';
  if (value === '') throw new UsageError('NAME_INVALID', `${flag} got an empty name.`, { hint });
  if (value.includes('%')) throw new UsageError('NAME_INVALID', `${flag} ${shown(raw)}: an IPv6 zone (the %… part) cannot go into a certificate.`, { hint });
  if (isIP(value) !== 0) return { type: 'ip', value };
  const name = value.toLowerCase();
  if (name.length > 253) throw new UsageError('NAME_INVALID', `${flag} ${shown(raw)} is longer than the 253 characters a DNS name may have.`, { hint });
  const labels = name.split('.');
  labels.forEach((label, i) => {
    if (label === '*' && i === 0 && labels.length > 2) return;
    if (label === '') throw new UsageError('NAME_INVALID', `${flag} ${shown(raw)} has an empty label (two dots in a row, or a leading or trailing dot).`, { hint });
    if (label.length > 63) throw new UsageError('NAME_INVALID', `${flag} ${shown(raw)} has a label longer than 63 characters.`, { hint });
    if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(label)) {
      const why = label.includes('*') ? 'a wildcard is only allowed as the whole first label of a name with at least three labels (*.example.com)'
        : 'labels may only hold letters, digits and inner hyphens';
      throw new UsageError('NAME_INVALID', `${flag} ${shown(raw)} is not a valid DNS name: ${why}.`, { hint });
    }
  });
  if (labels.length > 1 && /^[0-9]+$/.test(labels[labels.length - 1] ?? '')) {
    throw new UsageError('NAME_INVALID', `${flag} ${shown(raw)} is neither an IP address nor a DNS name (a top-level label cannot be all digits).`, { hint });
  }
  return { type: 'dns', value: name };
}

export function parseCommonName(raw: string): SubjectName {
  const parsed = parseSubjectName(raw, '--common-name');
  if (parsed.value.length > MAX_COMMON_NAME_LENGTH) {
    throw new UsageError('NAME_INVALID', `--common-name is ${parsed.value.length} characters; a certificate's common name may have at most ${MAX_COMMON_NAME_LENGTH}.`, {
      hint: 'Use a shorter common name and put the long name in --san.',
    });
  }
  return parsed;
}

/** `--san a --san b,c` → unique names in order. Commas are accepted as separators for convenience. */
export function parseSans(raw: readonly string[]): SubjectName[] {
  const parsed = raw.flatMap((r) => r.split(',')).map((n) => parseSubjectName(n));
  if (parsed.length > MAX_SANS) throw new UsageError('SAN_TOO_MANY', `--san: ${parsed.length} subject alternative names is more than ${MAX_SANS}.`, { hint: 'Give fewer --san names.' });
  return dedupeNames(parsed);
}

export function dedupeNames(names: readonly SubjectName[]): SubjectName[] {
  const seen = new Set<string>();
  return names.filter((n) => {
    const key = `${n.type}:${n.value}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
