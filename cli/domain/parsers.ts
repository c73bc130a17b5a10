// Parsers for the values a user types into any command: region, profile, endpoint URL, ACM ARN and e-mail (image
// references and registry hosts: image-ref.ts). Each returns the normalized value or throws a UsageError (exit 2)
// that names the input and the fix; every command runs them before any AWS call, and uses what they return.
import { UsageError } from '../core/errors.ts';
import { AWS_REGIONS } from './aws-regions.ts';
import { shown } from './shown.ts';

export { shown };

// partition:service:region:account:certificate/uuid, e.g. arn:aws:acm:us-east-1:123456789012:certificate/1b2c…
const ACM_ARN = /^arn:(aws(?:-[a-z]+)*):acm:([a-z]{2,4}(?:-[a-z]+)+-\d{1,2}):(\d{12}):certificate\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

export interface CertificateArn {
  arn: string;
  partition: string;
  region: string;
  account: string;
  id: string;
}

export function parseCertificateArn(raw: string, flag = '--rotate'): CertificateArn {
  const arn = raw.trim();
  const match = ACM_ARN.exec(arn);
  if (match === null) {
    throw new UsageError('ARN_INVALID', `${flag} ${shown(raw)} is not an ACM certificate ARN.`, {
      hint: 'It looks like arn:aws:acm:us-east-1:123456789012:certificate/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0 (see `aws acm list-certificates`).',
    });
  }
  const [, partition = '', region = '', account = '', id = ''] = match;
  if (!AWS_REGIONS.includes(region)) {
    throw new UsageError('ARN_INVALID', `${flag} ${shown(raw)} names region ${region}, which is not an AWS region.`, { hint: `The closest known regions: ${closestRegions(region).join(', ')}.` });
  }
  return { arn, partition, region, account, id };
}

/** Edit distance, for "did you mean" lists. */
function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min((row[j] ?? 0) + 1, (next[j - 1] ?? 0) + 1, (row[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length] ?? 0;
}

/** The known region names nearest to `name`, nearest first. */
export function closestRegions(name: string, count = 3): string[] {
  return [...AWS_REGIONS].sort((x, y) => distance(name, x) - distance(name, y) || x.localeCompare(y)).slice(0, count);
}

/**
 * A region the AWS SDK knows (its partition data, copied into aws-regions.ts), surrounding spaces removed: the
 * returned value is the one to use. `source` names where the value came from, for the message.
 */
export function parseRegion(raw: string, source = '--region'): string {
  const region = raw.trim();
  if (AWS_REGIONS.includes(region)) return region;
  const looksLikeOne = /^[a-z]{2,4}(-[a-z]+)+-\d{1,2}$/.test(region);
  throw new UsageError('REGION_INVALID', `${source} ${shown(raw)} is not an AWS region${looksLikeOne ? ' this version of hello-deploy (its AWS SDK) knows' : ''}; the closest known names: ${closestRegions(region).join(', ')}.`, {
    hint: 'Use a region code such as us-east-1 or eu-west-2 (`aws ec2 describe-regions` lists yours).',
  });
}

export function parseProfile(raw: string): string {
  const profile = raw.trim();
  if (profile === '' || profile.length > 128 || /[\s[\]\p{Cc}\p{Cf}]/u.test(profile)) {
    throw new UsageError('PROFILE_INVALID', `--profile ${shown(raw)} is not a usable AWS profile name.`, {
      hint: 'Use the name of a profile from ~/.aws/config (no spaces or brackets), e.g. --profile dev.',
    });
  }
  return profile;
}

/** An http(s) URL without credentials, query or fragment; returned without a trailing slash. */
export function parseEndpointUrl(raw: string): string {
  const hint = 'Give a full URL such as http://127.0.0.1:5000 (the emulator) or https://acm.us-east-1.amazonaws.com.';
  let url: URL;
  // The URL parser drops tabs and newlines inside a URL; a value with any control character is refused instead.
  if (/[\p{Cc}\p{Cf}]/u.test(raw.trim())) throw new UsageError('ENDPOINT_INVALID', `--endpoint-url ${shown(raw)} has control or invisible characters.`, { hint });
  try {
    url = new URL(raw.trim());
  } catch {
    throw new UsageError('ENDPOINT_INVALID', `--endpoint-url ${shown(raw)} is not a URL.`, { hint });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError('ENDPOINT_INVALID', `--endpoint-url must use http or https, not ${shown(url.protocol)}.`, { hint });
  }
  if (url.hostname === '') throw new UsageError('ENDPOINT_INVALID', `--endpoint-url ${shown(raw)} has no host.`, { hint });
  if (url.username !== '' || url.password !== '') {
    throw new UsageError('ENDPOINT_INVALID', '--endpoint-url must not carry a user name or password.', { hint: 'Credentials come from the environment or --profile, never the URL.' });
  }
  if (url.search !== '' || url.hash !== '' || raw.includes('?') || raw.includes('#')) throw new UsageError('ENDPOINT_INVALID', '--endpoint-url must not have a query string or fragment.', { hint });
  return url.toString().replace(/\/$/, '');
}

/** SMTP's limit on a whole address (RFC 5321 4.5.3.1.3: a 256-octet path less the angle brackets). */
export const EMAIL_MAX_LENGTH = 254;
/** RFC 5322 atext: the characters of a dot-atom local part (letters, digits and these). */
const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const DOMAIN_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/** Why `value` is not an address SNS would deliver to; undefined when it is one. */
function emailProblem(value: string): string | undefined {
  if (/[^\x21-\x7e]/.test(value)) return /[\s]/.test(value) ? 'it has spaces or line breaks' : 'it has characters other than printable ASCII (control, invisible or non-Latin characters)';
  if (value.length > EMAIL_MAX_LENGTH) return `it is ${value.length} characters; an address has at most ${EMAIL_MAX_LENGTH}`;
  const at = value.lastIndexOf('@');
  if (at === -1) return 'it has no @';
  const local = value.slice(0, at);
  const domain = value.slice(at + 1);
  if (local === '') return 'nothing comes before the @';
  if (local.length > 64) return 'the part before the @ is longer than 64 characters';
  if (!LOCAL_PART.test(local)) {
    return local.includes('@') ? 'it has more than one @'
      : /^\.|\.$|\.\./.test(local) ? 'the part before the @ starts or ends with a dot, or has two dots in a row'
        : 'the part before the @ has characters an address cannot have unquoted (such as < > ( ) [ ] , ; : \\ ")';
  }
  const labels = domain.split('.');
  if (labels.length < 2) return 'the domain after the @ has no dot';
  if (labels.some((l) => l === '')) return 'the domain has an empty label (a leading, trailing or doubled dot)';
  const bad = labels.find((l) => !DOMAIN_LABEL.test(l));
  if (bad !== undefined) return `the domain label ${shown(bad)} is not letters, digits and inner hyphens (at most 63)`;
  if (!/^[A-Za-z]{2,}$/.test(labels[labels.length - 1] ?? '')) return 'the top-level domain is not two or more letters';
  return undefined;
}

/**
 * `--email`: a pragmatic RFC 5321 address: a dot-atom local part (printable ASCII, no leading, trailing or doubled
 * dot), domain labels of letters, digits and inner hyphens, a top-level domain of two or more letters, 254 at most.
 */
export function parseEmail(raw: string, flag = '--email'): string {
  const problem = emailError(raw, flag);
  if (problem !== undefined) throw new UsageError('BAD_INPUT', problem, { hint: 'Give an address such as ops@example.com.' });
  return raw;
}

/**
 * Why `raw` is refused as an e-mail address, as `--email` says it (the value quoted through shown(), so a pasted
 * escape sequence or zero-width character is written out, never sent to the terminal raw); undefined for a good
 * one. `label` names the value: the flag on a command line, nothing in a wizard's field.
 */
export function emailError(raw: string, label?: string): string | undefined {
  const problem = emailProblem(raw);
  return problem === undefined ? undefined : `${label ? `${label} ` : ''}${shown(raw)} is not an e-mail address: ${problem}.`;
}

/** The same check as a yes/no, shaped like a RegExp so the wizard's `EMAIL.test(value)` callers use it unchanged. */
export const EMAIL = { test: (value: string): boolean => emailProblem(value) === undefined } as const;

/** The longest `--since` accepted: a month is more than any look back at a crash needs, and a typo (`10000d`) is refused rather than a scan of years. */
export const SINCE_MAX_MS = 30 * 24 * 3600_000;
const DURATION_UNIT_MS = { s: 1000, m: 60_000, h: 3600_000, d: 24 * 3600_000 } as const;

/** A span such as `30s`, `10m`, `2h` or `1d` (a whole number and one unit), in milliseconds; at least 1 s, at most 30 days. */
export function parseDuration(raw: string, flag = '--since'): number {
  const hint = 'Give a whole number and one unit: 30s, 10m, 2h or 1d (at most 30d).';
  const match = /^(\d{1,7})([smhd])$/.exec(raw.trim());
  if (match === null) throw new UsageError('BAD_INPUT', `${flag} ${shown(raw)} is not a duration such as 30s, 10m, 2h or 1d.`, { hint });
  const ms = Number(match[1]) * DURATION_UNIT_MS[match[2] as keyof typeof DURATION_UNIT_MS];
  if (ms < 1000) throw new UsageError('BAD_INPUT', `${flag} ${shown(raw)} is no time at all.`, { hint });
  if (ms > SINCE_MAX_MS) throw new UsageError('BAD_INPUT', `${flag} ${shown(raw)} is longer than 30 days.`, { hint });
  return ms;
}

// An ECS task id is 32 hex digits today, a UUID on older tasks (and on moto); an ARN ends with the id.
const TASK_ID = /^(?:[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;
const TASK_ARN = /^arn:aws(?:-[a-z]+)*:ecs:[a-z0-9-]+:\d{12}:task\/(?:[A-Za-z0-9_-]{1,255}\/)?([0-9a-f-]+)$/;

/**
 * `--task`: a task id (32 hex digits or a UUID), its ARN, or the first 8 or more characters of its id (the short id
 * `logs` prints); lower-cased. Returned as the id or id prefix, which names the start of its log stream.
 */
export function parseTaskId(raw: string, flag = '--task'): string {
  const value = raw.trim().toLowerCase();
  const id = TASK_ARN.exec(value)?.[1] ?? value;
  // A prefix is good when completing it (with zeros, and the UUID's dashes) gives a whole id.
  const completes = (template: string) => id.length <= template.length && TASK_ID.test(id + template.slice(id.length));
  if (id.length >= 8 && (completes('0'.repeat(32)) || completes('00000000-0000-0000-0000-000000000000'))) return id;
  throw new UsageError('BAD_INPUT', `${flag} ${shown(raw)} is not an ECS task id.`, {
    hint: 'Give the id as `hello-deploy logs` prints it (its first 8 characters are enough), as the console shows it (32 hex digits), or the task ARN.',
  });
}
