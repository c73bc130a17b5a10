// The equivalent command the wizards print (cli/domain/equivalent-command.ts) must mean what it says: split the
// line as a POSIX shell would and parse it with the real program of cli/main.ts, and the flags come back equal.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { hasAstral, hasCombining, reaches, withUnicode } from './support/boundaries.ts';
import type { Command } from 'commander';
import { answerFlags, type WizardAnswers } from '../cli/domain/deploy-answers.ts';
import { type CommandFlags, deleteStackCommand, deployAgainCommand, deployPassThrough, equivalentCommand, equivalentRehearsalCommand, rehearsalPassThrough, takeOverCommand } from '../cli/domain/equivalent-command.ts';

let buildProgram: (onDone: () => void) => Command;

before(async () => {
  // The program as main.ts runs it (cli/commands/program.ts), without running it.
  ({ buildProgram } = await import('../cli/commands/program.ts'));
});

/** Words as a POSIX shell splits them, for what quote() writes: bare words, '…' and \'. */
function shellWords(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === ' ') {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      assert.notEqual(end, -1, `unterminated quote in ${line}`);
      word = (word ?? '') + line.slice(i + 1, end);
      i = end;
    } else if (c === '\\') {
      word = (word ?? '') + line[++i];
    } else {
      word = (word ?? '') + c;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

/** The options `deploy` receives for this command line, as the real parser gives them. */
async function parsed(line: string): Promise<Record<string, unknown>> {
  const [npx, bin, ...args] = shellWords(line);
  assert.deepEqual([npx, bin], ['npx', 'hello-deploy']);
  let got: Record<string, unknown> | undefined;
  const program = buildProgram(() => undefined);
  // The real parser and options; only the action is replaced, so nothing is deployed.
  program.commands.find((c) => c.name() === 'deploy')!.action((opts: Record<string, unknown>) => {
    got = opts;
  });
  await program.parseAsync(['node', 'hello-deploy', ...args]);
  assert.ok(got, `deploy did not run for ${line}`);
  // commander gives a --no-x flag the default x: true; only --no-cancel itself (false) is a flag the line carries.
  if (got.cancel === true) delete got.cancel;
  return got;
}

/** What the parser should give back: the flags themselves (it fills in nothing: --deploy-method's default depends on --endpoint-url). */
const expected = (flags: CommandFlags) => ({ ...flags });

describe('equivalent commands read back as the same flags', () => {
  test('the deploy wizard: every answer, and the run-shaping flags passed through', async () => {
    const a: WizardAnswers = { ecosystem: 'feature-x', email: "o'k@example.com", region: 'eu-west-1', profile: 'dev', certificate: { kind: 'pair', certFile: '/home/me/my certs/cert.pem', keyFile: '/home/me/my certs/key.pem' } };
    const run: CommandFlags = { baseImage: 'local/python-base:trixie', endpointUrl: 'http://127.0.0.1:5000/~moto', registry: '127.0.0.1:5001', image: '127.0.0.1:5001/app@sha256:' + 'a'.repeat(64), deployMethod: 'direct', arch: 'arm64', timeout: '45m', cancel: false };
    const line = equivalentCommand(a, deployPassThrough(run));
    assert.deepEqual(await parsed(line), expected({ yes: true, ...answerFlags(a), ...run }));
    const arn = { ...a, certificate: { kind: 'arn' as const, arn: 'arn:aws:acm:eu-west-1:123456789012:certificate/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0' } };
    assert.deepEqual(await parsed(equivalentCommand(arn)), expected({ yes: true, ...answerFlags(arn) }));
  });

  test('a branch-owned ecosystem is left to the branch (no --ecosystem, as --yes derives it), and --take-over comes along', async () => {
    const a: WizardAnswers = { ecosystem: 'feature-x-02cc19', branch: 'Feature/X', email: 'ops@example.com', certificate: { kind: 'arn', arn: 'arn:aws:acm:eu-west-1:123456789012:certificate/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0' } };
    const run: CommandFlags = { endpointUrl: 'http://127.0.0.1:5000', takeOver: true };
    const line = equivalentCommand(a, deployPassThrough(run));
    assert.doesNotMatch(line, /--ecosystem/);
    assert.deepEqual(await parsed(line), expected({ yes: true, email: a.email, certArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0', ...run }));
    assert.deepEqual(await parsed(deployAgainCommand(a.ecosystem, deployPassThrough(run), a.branch)), expected(run));
    const local: CommandFlags = { local: true, emulator: 'endpoint', endpointUrl: 'http://127.0.0.1:4566', takeOver: true };
    assert.deepEqual(await parsed(equivalentRehearsalCommand({ ecosystem: 'feature-x-02cc19', branch: 'Feature/X', email: 'rehearsal@example.com' }, 'rehearsal@example.com', rehearsalPassThrough(local))), expected({ ...local, yes: true }));
    // The way out of ECOSYSTEM_TAKEN: the wizard again, aimed the same way, with --take-over once.
    assert.deepEqual(await parsed(takeOverCommand(deployPassThrough({ deployMethod: 'direct' }))), expected({ deployMethod: 'direct', takeOver: true }));
    assert.deepEqual(await parsed(takeOverCommand(rehearsalPassThrough(local), true)), expected(local));
  });

  test('the rehearsal wizard: its answers, and every rehearsal flag passed through', async () => {
    const run: CommandFlags = { local: true, emulator: 'endpoint', endpointUrl: 'http://127.0.0.1:4566', localstackImage: 'localstack/localstack:4', cert: 'my cert.pem', key: 'k.pem', baseImage: 'py:3', keep: true, arch: 'x86_64' };
    const line = equivalentRehearsalCommand({ ecosystem: 'rehearsal', email: 'me@example.com' }, 'rehearsal@example.com', rehearsalPassThrough(run));
    assert.deepEqual(await parsed(line), expected({ ...run, yes: true, ecosystem: 'rehearsal', email: 'me@example.com' }));
    // The rehearsal's own default e-mail is left out, and the parser leaves it unset: the same run.
    assert.deepEqual(await parsed(equivalentRehearsalCommand({ ecosystem: 'x', email: 'rehearsal@example.com' }, 'rehearsal@example.com')), expected({ local: true, yes: true, ecosystem: 'x' }));
  });

  test('the result screen\'s "deploy again"', async () => {
    assert.deepEqual(await parsed(deployAgainCommand('feature-login')), expected({ ecosystem: 'feature-login' }));
    // After an emulator run, the flags that aim the run come along: without them the line would go to real AWS.
    const run: CommandFlags = { endpointUrl: 'http://127.0.0.1:5000/~moto', registry: '127.0.0.1:5001', deployMethod: 'direct' };
    assert.deepEqual(await parsed(deployAgainCommand('feature-login', deployPassThrough(run))), expected({ ecosystem: 'feature-login', ...run }));
  });

  test('the result screen\'s "remove": delete-stack aimed at the same region, profile and endpoint', () => {
    assert.equal(deleteStackCommand('s-infra', {}), 'aws cloudformation delete-stack --stack-name s-infra');
    assert.equal(
      deleteStackCommand('s-infra', { region: 'eu-west-1', profile: 'my dev', endpointUrl: 'http://127.0.0.1:5000/~moto' }),
      "aws cloudformation delete-stack --stack-name s-infra --region eu-west-1 --profile 'my dev' --endpoint-url 'http://127.0.0.1:5000/~moto'",
    );
  });

  // Issue 18: fc.string() draws printable ASCII only, so the property also draws any unicode ('grapheme'), values
  // made of the characters quoting is about (' \ " $ ` ! space newline), and astral characters and combining marks
  // inserted; not lone surrogates, which no shell or argv can carry (they are UTF-8). Checked by planting the break
  // once in cli/domain/equivalent-command.ts (quote() no longer escaping a ' inside its quotes): the property
  // failed on its own.
  test('any text in a quoted value survives the shell and the parser', async () => {
    const base = fc.oneof(fc.string({ minLength: 1, maxLength: 40 }), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }), fc.string({ unit: fc.constantFrom(...'\'\\"$`! \nab'.split('')), minLength: 1, maxLength: 12 }));
    const text = fc.oneof(base, withUnicode(base, { lone: false }));
    reaches(text, { 'a single quote': (t) => t.includes("'"), 'a backslash': (t) => t.includes('\\'), 'a newline': (t) => t.includes('\n'), 'a non-ASCII character': (t) => [...t].some((c) => c.codePointAt(0)! > 0x7f), 'an astral character': hasAstral, 'a combining mark': hasCombining }, 200);
    await fc.assert(
      fc.asyncProperty(text, text, text, async (email, certFile, profile) => {
        const a: WizardAnswers = { ecosystem: 'x', email, profile, certificate: { kind: 'pair', certFile, keyFile: certFile } };
        assert.deepEqual(await parsed(equivalentCommand(a)), expected({ yes: true, ...answerFlags(a) }));
      }),
      { numRuns: 200 },
    );
  });
});
