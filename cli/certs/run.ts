// generate-certs from validated flags to a result: check the output directory, resolve the ecosystem and the AWS
// region, make sure a --rotate target exists — all before generating or writing — then generate, write, import.
import { stat } from 'node:fs/promises';
import { AbortError, BugError, EXIT, HelloDeployError, UsageError } from '../core/errors.ts';
import type { AwsOptions } from '../ports/aws.ts';
import { sanitizeEcosystem } from '../domain/ecosystem.ts';
import { checkOutDir, writePair } from '../domain/certificates/files.ts';
import { generateSelfSigned } from '../domain/certificates/generate.ts';
import { type GenerateCertsFlags, planGenerateCerts } from './options.ts';
import { validatePair } from '../domain/certificates/pair.ts';
import type { GenerateCertsResult } from './report.ts';
import { type CertificateStore, expiryStatus, importPair, managedTags, requireImported } from '../domain/certificates/store.ts';

export interface RunContext {
  cwd: string;
  /** Reads the current git branch; undefined when there is none (not a repository, detached HEAD, no git). */
  currentBranch?: (cwd: string) => Promise<string | undefined>;
  /** Opens the certificate store (ACM) for --import-acm and --rotate; the command wires the AWS adapter in. */
  openStore?: (aws: AwsOptions) => Promise<CertificateStore & { close(): void }>;
}


async function resolveEcosystem(given: string | undefined, ctx: RunContext): Promise<string> {
  if (given !== undefined) return given;
  const branch = await (ctx.currentBranch ?? (async () => undefined))(ctx.cwd);
  if (branch === undefined) {
    throw new UsageError('ECOSYSTEM_UNKNOWN', 'Cannot name the ecosystem for the ACM tags: no git branch here (not a repository, or a detached HEAD).', {
      hint: 'Pass --ecosystem <name>, e.g. --ecosystem main.',
    });
  }
  return sanitizeEcosystem(branch);
}

function modeOf(mode: number): string {
  return `0${(mode & 0o777).toString(8).padStart(3, '0')}`;
}

export async function runGenerateCerts(flags: GenerateCertsFlags, ctx: RunContext): Promise<GenerateCertsResult> {
  const plan = planGenerateCerts(flags, ctx.cwd);
  await checkOutDir(plan.paths, { force: plan.force });
  const ecosystem = plan.acm?.mode === 'import' ? await resolveEcosystem(plan.ecosystem, ctx) : undefined;

  let store: (CertificateStore & { close(): void }) | undefined;
  try {
    if (plan.acm !== undefined) {
      if (!ctx.openStore) throw new BugError('generate-certs was asked to use ACM, but no certificate store was wired in.');
      store = await ctx.openStore(plan.aws);
      // Fail on a wrong ARN before a new key replaces the old one on disk.
      if (plan.acm.mode === 'rotate') await requireImported(store, plan.acm.arn.arn);
    }

    const generated = await generateSelfSigned(plan.request);
    // The same checks a user-supplied pair gets; also yields the key in the form ACM's import guide shows.
    const pair = validatePair(generated.certificatePem, generated.privateKeyPem);
    await writePair(plan.paths, generated, { force: plan.force });
    const info = generated.info;

    const result: GenerateCertsResult = {
      ok: true,
      certPath: plan.paths.certPath,
      keyPath: plan.paths.keyPath,
      keyFileMode: modeOf((await stat(plan.paths.keyPath)).mode),
      fingerprintSha256: info.fingerprintSha256,
      serialNumber: info.serialNumber,
      notBefore: info.notBefore.toISOString(),
      notAfter: info.notAfter.toISOString(),
      subject: info.subject,
      commonName: info.commonName ?? plan.request.commonName.value,
      sans: info.sans,
      keyType: plan.request.keyType,
      days: plan.request.days,
      warnings: [],
    };

    if (store !== undefined && plan.acm !== undefined) {
      try {
        if (plan.acm.mode === 'rotate') {
          result.certificateArn = await store.reimportCertificate(plan.acm.arn.arn, pair);
          result.rotated = true;
        } else {
          const eco = ecosystem ?? '';
          result.certificateArn = (await importPair(store, pair, eco)).arn;
          result.ecosystem = eco;
          result.tags = managedTags(eco);
        }
      } catch (err) {
        throw withPairWrittenHint(err, plan.paths.dir);
      }
      result.region = store.region;
      const expiry = expiryStatus({ arn: result.certificateArn, notAfter: info.notAfter });
      if (expiry.warning !== undefined) result.warnings.push(expiry.warning);
    }
    return result;
  } finally {
    store?.close();
  }
}

/** The files are on disk even though the upload failed; say so, so nobody is surprised by "already exists" next time. */
function withPairWrittenHint(err: unknown, dir: string): unknown {
  if (!(err instanceof HelloDeployError)) return err;
  const hint = `${err.hint ? `${err.hint} ` : ''}The new pair was written to ${dir}; run again with --force once this is fixed.`;
  return err.exitCode === EXIT.usage ? new UsageError(err.code, err.message, { hint, cause: err }) : new AbortError(err.code, err.message, { hint, cause: err });
}
