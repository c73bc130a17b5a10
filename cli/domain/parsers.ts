// Parsers for the values a user types into any command: region, profile, endpoint URL, ACM ARN, e-mail, image and
// registry references. Each returns the normalized value or throws a UsageError (exit 2) that names the input and
// the fix; every command runs them before any AWS call.
import { UsageError } from '../core/errors.ts';

const show = (value: string): string => JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);

export const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s.]{2,}$/;
export const IMAGE_URI = /^[a-z0-9][a-z0-9.-]*(:\d{1,5})?\/[a-z0-9][a-z0-9._/-]*(:[\w][\w.-]{0,127}|@sha256:[a-f0-9]{64})$/;
export const REGISTRY = /^[A-Za-z0-9][A-Za-z0-9.-]*(:\d{1,5})?$/;

// partition:service:region:account:certificate/uuid, e.g. arn:aws:acm:us-east-1:123456789012:certificate/1b2c…
const ACM_ARN = /^arn:(aws(?:-[a-z]+)*):acm:([a-z]{2}(?:-[a-z]+)+-\d{1,2}):(\d{12}):certificate\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

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
    throw new UsageError('ARN_INVALID', `${flag} ${show(raw)} is not an ACM certificate ARN.`, {
      hint: 'It looks like arn:aws:acm:us-east-1:123456789012:certificate/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0 (see `aws acm list-certificates`).',
    });
  }
  const [, partition = '', region = '', account = '', id = ''] = match;
  return { arn, partition, region, account, id };
}

export function parseRegion(raw: string): string {
  const region = raw.trim();
  if (!/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/.test(region)) {
    throw new UsageError('REGION_INVALID', `--region ${show(raw)} is not an AWS region name.`, { hint: 'Use a region code such as us-east-1 or eu-west-2.' });
  }
  return region;
}

export function parseProfile(raw: string): string {
  const profile = raw.trim();
  if (profile === '' || profile.length > 128 || /[\s[\]\p{Cc}]/u.test(profile)) {
    throw new UsageError('PROFILE_INVALID', `--profile ${show(raw)} is not a usable AWS profile name.`, {
      hint: 'Use the name of a profile from ~/.aws/config (no spaces or brackets), e.g. --profile dev.',
    });
  }
  return profile;
}

/** An http(s) URL without credentials, query or fragment; returned without a trailing slash. */
export function parseEndpointUrl(raw: string): string {
  const hint = 'Give a full URL such as http://127.0.0.1:5000 (the emulator) or https://acm.us-east-1.amazonaws.com.';
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new UsageError('ENDPOINT_INVALID', `--endpoint-url ${show(raw)} is not a URL.`, { hint });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError('ENDPOINT_INVALID', `--endpoint-url must use http or https, not ${show(url.protocol)}.`, { hint });
  }
  if (url.hostname === '') throw new UsageError('ENDPOINT_INVALID', `--endpoint-url ${show(raw)} has no host.`, { hint });
  if (url.username !== '' || url.password !== '') {
    throw new UsageError('ENDPOINT_INVALID', '--endpoint-url must not carry a user name or password.', { hint: 'Credentials come from the environment or --profile, never the URL.' });
  }
  if (url.search !== '' || url.hash !== '') throw new UsageError('ENDPOINT_INVALID', '--endpoint-url must not have a query string or fragment.', { hint });
  return url.toString().replace(/\/$/, '');
}
