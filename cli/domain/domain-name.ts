// --domain: the name the app is served on with a trusted certificate (issue 16). Checked before any AWS call: ACM,
// Route 53 and the template's DomainName parameter all want a plain DNS host name, and DNS names are
// case-insensitive, so the name is lower-cased once here and used that way everywhere after.
import { UsageError } from '../core/errors.ts';
import { shown } from './shown.ts';

/** One DNS label: letters, digits and inner hyphens, 1-63 characters (RFC 1035 / RFC 1123). */
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * The host name, lower-cased, one trailing dot dropped. At least two labels (ACM issues no certificate for a bare
 * TLD), no wildcard (the alias record names one host), at most 253 characters; the last label is not all digits,
 * so an IP address is refused too.
 */
export function parseDomainName(raw: string, flag = '--domain'): string {
  const name = raw.trim().toLowerCase().replace(/\.$/, '');
  const hint = 'Give the host name the app is served on, such as hello.example.com (a Route 53 hosted zone for example.com makes it one command).';
  const labels = name.split('.');
  if (name.startsWith('*.')) throw new UsageError('DOMAIN_INVALID', `${flag} ${shown(raw)} is a wildcard; the alias record and the certificate name one host.`, { hint });
  if (name.length === 0 || name.length > 253 || labels.length < 2 || !labels.every((l) => LABEL.test(l)) || /^\d+$/.test(labels[labels.length - 1]!)) {
    throw new UsageError('DOMAIN_INVALID', `${flag} ${shown(raw)} is not a DNS host name.`, { hint });
  }
  return name;
}

/** The zone names that could hold `name`, longest first: hello.example.com → hello.example.com, example.com, com. */
export function zoneCandidates(name: string): string[] {
  const labels = name.split('.');
  return labels.map((_, i) => labels.slice(i).join('.'));
}

/** Route 53 zone names end with a dot and may escape characters; compare them as plain lower-case names. */
export function plainZoneName(zoneName: string): string {
  return zoneName.toLowerCase().replace(/\.$/, '');
}
