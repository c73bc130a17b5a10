// generate-certs flags → a validated plan. Pure and synchronous: every bad input is a UsageError (exit 2) here,
// before a key is generated, a file is touched or AWS is called.
import { UsageError } from '../core/errors.ts';
import { validateEcosystem } from '../domain/ecosystem.ts';
import type { AwsOptions } from '../ports/aws.ts';
import { DEFAULT_COMMON_NAME, DEFAULT_DAYS, DEFAULT_KEY_TYPE, DEFAULT_SANS, type GenerateRequest } from '../domain/certificates/generate.ts';
import { DEFAULT_OUT_DIR, type PairPaths, pairPaths } from '../domain/certificates/files.ts';
import { MAX_COMMON_NAME_LENGTH, type SubjectName, parseCommonName, parseDays, parseKeyType, parseSans } from './validate.ts';
import { parseProfile, parseCertificateArn, parseEndpointUrl, parseRegion, type CertificateArn } from '../domain/parsers.ts';

/** The flags as commander hands them over (strings; nothing trusted yet). */
export interface GenerateCertsFlags {
  out?: string;
  commonName?: string;
  san?: string[];
  days?: string;
  keyType?: string;
  force?: boolean;
  importAcm?: boolean;
  rotate?: string;
  region?: string;
  profile?: string;
  endpointUrl?: string;
  ecosystem?: string;
  json?: boolean;
}

export interface GenerateCertsPlan {
  paths: PairPaths;
  request: GenerateRequest;
  force: boolean;
  json: boolean;
  /** undefined: no AWS at all. */
  acm: { mode: 'import' } | { mode: 'rotate'; arn: CertificateArn } | undefined;
  aws: AwsOptions;
  /** From --ecosystem; when importing without it, the git branch is used. */
  ecosystem: string | undefined;
}

/**
 * Names: with neither --common-name nor --san, CN hello-deploy.local plus SANs localhost and 127.0.0.1 (so local
 * tests can pin the certificate). With --san only, the first SAN that fits becomes the CN. The CN is always a SAN too.
 */
function chooseNames(flags: GenerateCertsFlags): { commonName: SubjectName; sans: SubjectName[] } {
  const sans = flags.san === undefined ? [] : parseSans(flags.san);
  if (flags.commonName !== undefined) return { commonName: parseCommonName(flags.commonName), sans };
  if (sans.length === 0) return { commonName: { type: 'dns', value: DEFAULT_COMMON_NAME }, sans: [...DEFAULT_SANS] };
  const fits = sans.find((s) => s.value.length <= MAX_COMMON_NAME_LENGTH);
  return { commonName: fits ?? { type: 'dns', value: DEFAULT_COMMON_NAME }, sans };
}

export function planGenerateCerts(flags: GenerateCertsFlags, cwd: string): GenerateCertsPlan {
  if (flags.out !== undefined && flags.out.trim() === '') throw new UsageError('OUT_DIR_INVALID', '--out is empty.', { hint: `Give a directory, e.g. --out ${DEFAULT_OUT_DIR}.` });
  const days = flags.days === undefined ? DEFAULT_DAYS : parseDays(flags.days);
  const keyType = flags.keyType === undefined ? DEFAULT_KEY_TYPE : parseKeyType(flags.keyType);
  const { commonName, sans } = chooseNames(flags);

  const aws: AwsOptions = {};
  if (flags.region !== undefined) aws.region = parseRegion(flags.region);
  if (flags.profile !== undefined) aws.profile = parseProfile(flags.profile);
  if (flags.endpointUrl !== undefined) aws.endpointUrl = parseEndpointUrl(flags.endpointUrl);
  const ecosystem = flags.ecosystem === undefined ? undefined : validateEcosystem(flags.ecosystem, '--ecosystem');

  let acm: GenerateCertsPlan['acm'];
  if (flags.rotate !== undefined) {
    const arn = parseCertificateArn(flags.rotate);
    // A certificate lives in one region: re-importing has to happen there.
    if (aws.region !== undefined && aws.region !== arn.region) {
      throw new UsageError('REGION_MISMATCH', `--rotate names a certificate in ${arn.region}, but --region is ${aws.region}.`, {
        hint: `Drop --region (the ARN's region ${arn.region} is used) or pass --region ${arn.region}.`,
      });
    }
    aws.region = arn.region;
    acm = { mode: 'rotate', arn };
  } else if (flags.importAcm === true) {
    acm = { mode: 'import' };
  }

  return {
    paths: pairPaths(flags.out ?? DEFAULT_OUT_DIR, cwd),
    request: { commonName, sans, days, keyType },
    force: flags.force === true,
    json: flags.json === true,
    acm,
    aws,
    ecosystem,
  };
}
