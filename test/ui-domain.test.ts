// The wizard's optional domain question (issue 16): one key (d) on the summary card, checked as the flag is, and
// the answer reaching the equivalent command and the deploy.
import { test, describe, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup } from 'ink-testing-library';
import { h, mount, waitText, press, KEY, settle } from './fixtures/ui/harness.ts';
import { Summary } from '../cli/ui/deploy/Summary.tsx';
import type { WizardAnswers } from '../cli/ui/shared/services.ts';
import { answerFlags } from '../cli/domain/deploy-answers.ts';

const ANSWERS: WizardAnswers = { ecosystem: 'feature-login', email: 'ops@example.com', region: 'us-east-1', certificate: { kind: 'pair', certFile: '/p/app/certs/cert.pem', keyFile: '/p/app/certs/key.pem' } };

describe('wizard: "Serve it on your own domain?"', () => {
  afterEach(() => cleanup());

  test('without it the summary confirms as before (self-signed); d asks, a bad name is refused as the flag refuses it, a good one changes the plan and the command', async () => {
    const confirmed: WizardAnswers[] = [];
    const m = mount(h(Summary, { answers: ANSWERS, certificateLabel: 'app/certs/cert.pem (imported)', passThrough: [], onConfirm: (a: WizardAnswers) => confirmed.push(a), onBack: () => undefined }));
    let f = await waitText(m, 'Ready to deploy');
    assert.match(f, /none: self-signed, browsers warn/);
    assert.match(f, /d: serve it on your own domain\? \(optional/);
    await press(m, 'd');
    f = await waitText(m, 'Serve it on your own domain? (optional)');
    assert.match(f, /Enter to skip: a self-signed certificate/);
    await press(m, ...'a..b', KEY.enter);
    await waitText(m, 'is not a DNS host name');
    for (let i = 0; i < 4; i++) await press(m, KEY.backspace);
    await press(m, ...'Hello.Example.com', KEY.enter);
    f = await waitText(m, 'Ready to deploy');
    const flat = f.replace(/\s+/g, ' ');
    assert.match(flat, /hello\.example\.com/);
    assert.match(flat, /an ACM certificate for hello\.example\.com with DNS validation \(it renews itself\)/);
    assert.match(flat, /--domain hello\.example\.com/);
    assert.doesNotMatch(flat, /--cert /, 'with a domain no pair is imported');
    await press(m, 'y');
    await settle();
    assert.equal(confirmed.length, 1);
    assert.equal(confirmed[0]!.domain, 'hello.example.com');
    assert.equal(answerFlags(confirmed[0]!).domain, 'hello.example.com');
    assert.equal(answerFlags(confirmed[0]!).cert, undefined);
  });

  test('Enter on an empty question keeps the self-signed path; Esc leaves the question unchanged', async () => {
    const confirmed: WizardAnswers[] = [];
    const m = mount(h(Summary, { answers: { ...ANSWERS, domain: 'saved.example.com' }, certificateLabel: 'cert', passThrough: [], onConfirm: (a: WizardAnswers) => confirmed.push(a), onBack: () => undefined }));
    await waitText(m, 'saved.example.com');
    await press(m, 'd');
    await waitText(m, 'Serve it on your own domain?');
    await press(m, KEY.esc);
    await waitText(m, 'd: change or clear it');
    await press(m, 'd');
    await waitText(m, 'Serve it on your own domain?');
    for (let i = 0; i < 'saved.example.com'.length; i++) await press(m, KEY.backspace);
    await press(m, KEY.enter);
    await waitText(m, 'none: self-signed');
    await press(m, KEY.enter);
    await settle();
    assert.equal(confirmed[0]!.domain, undefined);
  });
});
