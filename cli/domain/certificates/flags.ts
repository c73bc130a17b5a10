// --cert-arn, or --cert with --key, or the pair `hello-deploy generate-certs` writes by default (app/certs): the one
// certificate a run uses, as deploy and doctor read it from their flags. Every problem is pushed to `bad` (both
// commands name every bad value at once), and none is thrown.
import { access, constants } from 'node:fs/promises';
import path from 'node:path';
import { parseCertificateArn } from '../parsers.ts';

export type CertificateChoice = { kind: 'arn'; arn: string } | { kind: 'pair'; certFile: string; keyFile: string };

export interface CertificateFlags {
  certArn?: string | undefined;
  cert?: string | undefined;
  key?: string | undefined;
}

const readable = (p: string) => access(p, constants.R_OK).then(() => true, () => false);

/**
 * The certificate the flags choose, or the default pair when both of its files are readable; undefined when there
 * is none (or a flag was bad). `region` is where it will serve (a certificate serves listeners in its own region
 * only: CloudFormation would fail half-way through the stack), `regionIs` how the mismatch message names it;
 * `checkArn: false` leaves a --cert-arn another rule already refused unparsed.
 */
export async function certificateFromFlags(
  flags: CertificateFlags,
  at: { cwd: string; region: string | undefined; regionIs: string; bad: string[]; checkArn?: boolean },
): Promise<CertificateChoice | undefined> {
  const { bad } = at;
  const pair = async (certFile: string, keyFile: string, source?: { cert: string; key: string }): Promise<CertificateChoice> => {
    const { pairProblem } = await import('./pair.ts');
    const problem = await pairProblem(certFile, keyFile, source);
    if (problem !== undefined) bad.push(problem);
    return { kind: 'pair', certFile, keyFile };
  };
  if (flags.certArn !== undefined && (flags.cert !== undefined || flags.key !== undefined)) {
    bad.push('give either --cert-arn or --cert/--key, not both');
    return undefined;
  }
  if (flags.certArn !== undefined) {
    if (at.checkArn === false) return undefined;
    let arn: ReturnType<typeof parseCertificateArn>;
    try {
      arn = parseCertificateArn(flags.certArn, '--cert-arn');
    } catch (e) {
      bad.push(e instanceof Error ? e.message : String(e));
      return undefined;
    }
    if (at.region !== undefined && arn.region !== at.region) {
      bad.push(`--cert-arn names a certificate in ${arn.region}, but ${at.regionIs} ${at.region}; an ACM certificate serves load balancers in its own region only`);
    }
    return { kind: 'arn', arn: arn.arn };
  }
  if (flags.cert !== undefined || flags.key !== undefined) {
    if (flags.cert === undefined || flags.key === undefined) {
      bad.push('--cert and --key go together');
      return undefined;
    }
    return pair(path.resolve(at.cwd, flags.cert), path.resolve(at.cwd, flags.key), { cert: '--cert', key: '--key' });
  }
  const certFile = path.resolve(at.cwd, 'app/certs/cert.pem');
  const keyFile = path.resolve(at.cwd, 'app/certs/key.pem');
  if ((await readable(certFile)) && (await readable(keyFile))) return pair(certFile, keyFile);
  return undefined;
}
