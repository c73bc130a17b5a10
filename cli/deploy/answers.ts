// The deploy wizard's saved answers, one file per ecosystem in `.hello-deploy/<ecosystem>.json`, so a re-run asks
// only what it does not know. Answers only: never a secret or a key.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { answersFile } from '../domain/answers-file.ts';
import { EMAIL, parseCertificateArn } from '../domain/parsers.ts';
import { parseDomainName } from '../domain/domain-name.ts';
import type { SavedAnswers, WizardAnswers } from '../domain/deploy-answers.ts';
import { valueOrUndefined } from '../domain/optional.ts';

export { ANSWERS_DIR, answersFile } from '../domain/answers-file.ts';

/**
 * Reads saved answers, keeping only well-formed fields: a hand-edited file cannot smuggle anything in. An
 * ecosystem that is not a valid name has no file (undefined).
 */
export async function loadAnswers(cwd: string, ecosystem: string): Promise<SavedAnswers | undefined> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(answersFile(cwd, ecosystem), 'utf8'));
  } catch {
    return undefined;
  }
  if (!raw || typeof raw !== 'object') return undefined;
  const r = raw as Record<string, unknown>;
  const str = (k: string) => (typeof r[k] === 'string' && r[k] !== '' ? (r[k] as string) : undefined);
  const out: SavedAnswers = { ecosystem };
  const email = str('email');
  if (email && EMAIL.test(email)) out.email = email;
  const region = str('region');
  if (region) out.region = region;
  const profile = str('profile');
  if (profile) out.profile = profile;
  const c = r.certificate as Record<string, unknown> | undefined;
  if (c && c.kind === 'arn' && typeof c.arn === 'string' && valueOrUndefined(() => parseCertificateArn(c.arn as string))) out.certificate = { kind: 'arn', arn: c.arn };
  else if (c && c.kind === 'pair' && typeof c.certFile === 'string' && typeof c.keyFile === 'string') out.certificate = { kind: 'pair', certFile: c.certFile, keyFile: c.keyFile };
  const domain = str('domain');
  if (domain && valueOrUndefined(() => parseDomainName(domain)) === domain) out.domain = domain;
  return out;
}

/** No secrets: the ecosystem, the e-mail, where AWS is, and which certificate (an ARN or two paths, never a key). */
export async function saveAnswers(cwd: string, a: WizardAnswers): Promise<string> {
  const file = answersFile(cwd, a.ecosystem);
  await mkdir(path.dirname(file), { recursive: true });
  const body: SavedAnswers = { ecosystem: a.ecosystem, email: a.email, ...(a.region ? { region: a.region } : {}), ...(a.profile ? { profile: a.profile } : {}), certificate: a.certificate, ...(a.domain ? { domain: a.domain } : {}) };
  await writeFile(file, `${JSON.stringify(body, null, 2)}\n`);
  return file;
}
