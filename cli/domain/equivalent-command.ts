// The "equivalent command" the wizards print: the `npx hello-deploy …` line that repeats a wizard run with no
// questions. One function turns flags back into arguments, so every flag is spelled and shell-quoted one way on
// every screen, and the line reads back through the real parser as the same flags
// (test/equivalent-command.test.ts parses it with cli/main.ts' program).
import type { DeployFlags } from './flags.ts';
import { answerFlags, type WizardAnswers } from './deploy-answers.ts';

/** Every flag an equivalent command can carry: deploy's, and the rehearsal's (RehearsalFlags has this shape). */
export interface CommandFlags extends DeployFlags {
  local?: boolean;
  emulator?: string;
  keep?: boolean;
  baseImage?: string;
  localstackImage?: string;
}

/** --key is only ever written with --cert (they mean something only together): name 'cert' for the pair. */
export type FlagName = Exclude<keyof CommandFlags, 'key'>;

/** Each flag as cli/commands/deploy.ts declares it. */
const OPTION: Record<FlagName, string> = {
  yes: '--yes',
  json: '--json',
  local: '--local',
  ecosystem: '--ecosystem',
  email: '--email',
  region: '--region',
  profile: '--profile',
  certArn: '--cert-arn',
  cert: '--cert',
  image: '--image',
  endpointUrl: '--endpoint-url',
  registry: '--registry',
  deployMethod: '--deploy-method',
  takeOver: '--take-over',
  arch: '--arch',
  timeout: '--timeout',
  cancel: '--no-cancel',
  domain: '--domain',
  domainWait: '--domain-wait',
  replaceRecord: '--replace-record',
  emulator: '--emulator',
  keep: '--keep',
  baseImage: '--base-image',
  localstackImage: '--localstack-image',
  traffic: '--traffic',
  livePrices: '--live-prices',
};

/** One argument of an equivalent command, quoted for a POSIX shell when it needs it. */
export const quote = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replaceAll("'", "'\\''")}'`);

/**
 * The named flags as arguments, in the order named: `--flag value`, a switch bare, and --cert with its --key as
 * one argument. Flags that are unset or empty are left out (the parser sets none by itself, so a given
 * --deploy-method is repeated: its default depends on --endpoint-url).
 */
export function flagArgs(flags: CommandFlags, names: readonly FlagName[]): string[] {
  const out: string[] = [];
  for (const name of names) {
    if (name === 'cert') {
      if (flags.cert !== undefined && flags.key !== undefined) out.push(`--cert ${quote(flags.cert)} --key ${quote(flags.key)}`);
      continue;
    }
    // commander's --no-cancel sets cancel to false; true is the default and never written.
    if (name === 'cancel') {
      if (flags.cancel === false) out.push(OPTION.cancel);
      continue;
    }
    const value = flags[name];
    if (value === undefined || value === false || value === '') continue;
    out.push(value === true ? OPTION[name] : `${OPTION[name]} ${quote(value)}`);
  }
  return out;
}

export const commandLine = (args: readonly string[]): string => ['npx hello-deploy', ...args].join(' ');

// Each front end names the flags it repeats, in the order its line has always shown them.
const DEPLOY_ANSWERS: FlagName[] = ['yes', 'ecosystem', 'email', 'region', 'profile', 'certArn', 'cert', 'domain'];
// --arch is repeated when given: without it, the line means the architecture of whichever machine runs it.
const DEPLOY_PASS_THROUGH: FlagName[] = ['baseImage', 'endpointUrl', 'registry', 'image', 'deployMethod', 'takeOver', 'arch', 'timeout', 'cancel', 'domainWait', 'replaceRecord', 'traffic', 'livePrices'];
const REHEARSAL_ANSWERS: FlagName[] = ['local', 'yes', 'ecosystem', 'email'];
const REHEARSAL_PASS_THROUGH: FlagName[] = ['emulator', 'endpointUrl', 'localstackImage', 'cert', 'baseImage', 'keep', 'takeOver', 'arch'];

/** The flags that are not answers but change a deploy (e.g. --deploy-method direct), for its equivalent command. */
export const deployPassThrough = (flags: CommandFlags): string[] => flagArgs(flags, DEPLOY_PASS_THROUGH);

/** The flags that shape a rehearsal without being answers, for the equivalent `--local --yes` command. */
export const rehearsalPassThrough = (flags: CommandFlags): string[] => flagArgs(flags, REHEARSAL_PASS_THROUGH);

/** The non-interactive command that deploys exactly these answers. */
export function equivalentCommand(a: WizardAnswers, passThrough: string[] = []): string {
  return commandLine([...flagArgs({ yes: true, ...answerFlags(a) }, DEPLOY_ANSWERS), ...passThrough]);
}

/**
 * The non-interactive command that rehearses exactly these answers; the rehearsal's own default e-mail goes unsaid,
 * and so does a branch-owned ecosystem (`--local --yes` derives it from the branch and checks the owner, as here).
 */
export function equivalentRehearsalCommand(a: { ecosystem: string; email: string; branch?: string }, defaultEmail: string, passThrough: string[] = []): string {
  const flags: CommandFlags = { local: true, yes: true, ...(a.branch === undefined ? { ecosystem: a.ecosystem } : {}), ...(a.email !== defaultEmail ? { email: a.email } : {}) };
  return commandLine([...flagArgs(flags, REHEARSAL_ANSWERS), ...passThrough]);
}

/**
 * Deploying the same ecosystem again: the wizard, which finds the saved answers. The run-shaping flags are not
 * answers and are not saved (--endpoint-url, --registry, --deploy-method …): without them the line would target
 * real AWS after an emulator run, so they are repeated. A branch-owned ecosystem is left to the branch (no
 * --ecosystem), so the next run records and checks the owner as this one did.
 */
export const deployAgainCommand = (ecosystem: string, passThrough: string[] = [], branch?: string): string =>
  commandLine([...(branch === undefined ? flagArgs({ ecosystem }, ['ecosystem']) : []), ...passThrough]);

/** The wizard again with --take-over, for an ecosystem another branch owns (ECOSYSTEM_TAKEN); `--local` for a rehearsal. */
export const takeOverCommand = (passThrough: string[] = [], local = false): string =>
  commandLine([...(local ? ['--local'] : []), ...passThrough.filter((a) => a !== '--take-over'), '--take-over']);

/** Where an AWS CLI command must go to reach what hello-deploy made: the same region, profile and endpoint. */
export interface AwsCliTarget {
  region?: string;
  profile?: string;
  endpointUrl?: string;
}

/** `aws cloudformation delete-stack` for one stack, aimed where the deploy went (an emulator stays an emulator). */
export function deleteStackCommand(stack: string, t: AwsCliTarget): string {
  const args = ['aws cloudformation delete-stack', `--stack-name ${quote(stack)}`];
  if (t.region) args.push(`--region ${quote(t.region)}`);
  if (t.profile) args.push(`--profile ${quote(t.profile)}`);
  if (t.endpointUrl) args.push(`--endpoint-url ${quote(t.endpointUrl)}`);
  return args.join(' ');
}

/** The lifecycle commands the deploy's result screen offers, as a key and as a line to copy. */
export type LifecycleCommand = 'status' | 'logs' | 'destroy';

/**
 * The arguments of `hello-deploy status|logs|destroy` for the ecosystem just deployed, aimed where the deploy went
 * (the same region, profile and emulator endpoint): unquoted, as argv. `logs` follows, since a person opening the
 * logs right after a deploy wants to watch them.
 */
export function lifecycleArgs(command: LifecycleCommand, ecosystem: string, t: AwsCliTarget): string[] {
  return [
    command,
    ...(command === 'logs' ? ['--follow'] : []),
    '--ecosystem',
    ecosystem,
    ...(t.region ? ['--region', t.region] : []),
    ...(t.profile ? ['--profile', t.profile] : []),
    ...(t.endpointUrl ? ['--endpoint-url', t.endpointUrl] : []),
  ];
}

/** The same, as the `npx hello-deploy …` line to copy. */
export const lifecycleCommand = (command: LifecycleCommand, ecosystem: string, t: AwsCliTarget): string => commandLine(lifecycleArgs(command, ecosystem, t).map(quote));
