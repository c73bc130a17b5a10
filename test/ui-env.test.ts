// The terminal around the wizard: colour only without NO_COLOR, OSC 8 links only where they work, and a layout
// that fits 60 columns and follows a resize. Colour is forced on (FORCE_COLOR) before Ink loads, so the test
// can see that NO_COLOR, not the pipe, is what removes it.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { stripVTControlCharacters } from 'node:util';

process.env.FORCE_COLOR = '3';
const [React, { render }, { UiEnvContext, detectUiEnv, supportsHyperlinks, stillEnv, Link }, { Welcome }, { Checklist }, { ProgressScreen, FinishedSteps }, { WizardStore }, events, { CLEAR_PREFLIGHT }] = await Promise.all([
  import('react'),
  import('ink'),
  import('../cli/ui/shared/env.tsx'),
  import('../cli/ui/deploy/Welcome.tsx'),
  import('../cli/ui/deploy/Checklist.tsx'),
  import('../cli/ui/shared/Progress.tsx'),
  import('../cli/ui/shared/host.ts'),
  import('./fixtures/ui/events.ts'),
  import('./fixtures/ui/harness.ts'),
]);
const h = React.createElement;
const NOW = Date.parse('2026-11-26T12:00:00Z');

/** A terminal-sized stdout for Ink (ink-testing-library's is fixed at 100 columns). */
class FakeTerminal extends EventEmitter {
  columns: number;
  rows = 40;
  isTTY = true;
  frames: string[] = [];
  constructor(columns: number) {
    super();
    this.columns = columns;
  }
  write = (s: string) => {
    this.frames.push(s);
    return true;
  };
  resize(columns: number) {
    this.columns = columns;
    this.emit('resize');
  }
  get last(): string {
    return this.frames.at(-1) ?? '';
  }
}

class FakeStdin extends EventEmitter {
  isTTY = true;
  setRawMode() {}
  setEncoding() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
  read() {
    return null;
  }
}

function renderAt(columns: number, el: React.ReactElement, env = stillEnv(NOW)) {
  const stdout = new FakeTerminal(columns);
  const instance = render(h(UiEnvContext.Provider, { value: env }, el), { stdout: stdout as never, stdin: new FakeStdin() as never, debug: true, patchConsole: false, exitOnCtrlC: false });
  return { stdout, instance };
}

const settle = (ms = 50) => new Promise((r) => setTimeout(r, ms));
const widest = (frame: string) => Math.max(...stripVTControlCharacters(frame).split('\n').map((l) => [...l].length));
// SGR colour parameters: 30–37, 38;…, 90–97 (foreground), 40–47, 48;…, 100–107 (background).
// eslint-disable-next-line no-control-regex
const COLOUR = /\u001B\[(?:[0-9;]*;)?(?:3[0-8]|9[0-7]|4[0-8]|10[0-7])(?:;[0-9;]*)?m/;

describe('NO_COLOR', () => {
  test('detectUiEnv: colour unless NO_COLOR is set (and non-empty)', () => {
    assert.equal(detectUiEnv({}).color, true);
    assert.equal(detectUiEnv({ NO_COLOR: '1' }).color, false);
    assert.equal(detectUiEnv({ NO_COLOR: '' }).color, true);
  });

  test('with colour the frame carries colour codes; under NO_COLOR it carries none, and the text is the same', async () => {
    const props = { ecosystem: 'feature-login', onNext: () => undefined, onQuit: () => undefined };
    const coloured = renderAt(100, h(Welcome, props), { ...stillEnv(NOW), color: true });
    const plain = renderAt(100, h(Welcome, props), stillEnv(NOW));
    await settle();
    assert.match(coloured.stdout.last, COLOUR);
    assert.doesNotMatch(plain.stdout.last, COLOUR);
    assert.equal(stripVTControlCharacters(plain.stdout.last), stripVTControlCharacters(coloured.stdout.last));
    coloured.instance.unmount();
    plain.instance.unmount();
  });
});

describe('links', () => {
  test('OSC 8 only where the terminal understands it; tmux, screen and CI get the plain URL', () => {
    assert.equal(supportsHyperlinks({ TERM_PROGRAM: 'iTerm.app' }), true);
    assert.equal(supportsHyperlinks({ TERM_PROGRAM: 'vscode' }), true);
    assert.equal(supportsHyperlinks({ VTE_VERSION: '7600' }), true);
    assert.equal(supportsHyperlinks({ VTE_VERSION: '4000' }), false);
    assert.equal(supportsHyperlinks({ TERM_PROGRAM: 'iTerm.app', TMUX: '/tmp/tmux-0/default,1,0' }), false);
    assert.equal(supportsHyperlinks({ WT_SESSION: 'x', CI: 'true' }), false);
    assert.equal(supportsHyperlinks({ TERM: 'xterm-256color' }), false);
    assert.equal(supportsHyperlinks({ FORCE_HYPERLINK: '1', TMUX: 'x' }), true);
  });

  test('the link wraps the URL itself, so the visible text is the same either way', async () => {
    const url = 'https://demo-hw-alb-1.us-east-1.elb.amazonaws.com';
    const linked = renderAt(100, h(Link, { url }), { ...stillEnv(NOW), hyperlinks: true });
    const plain = renderAt(100, h(Link, { url }), stillEnv(NOW));
    await settle();
    assert.ok(linked.stdout.last.includes(`\u001B]8;;${url}\u0007`), JSON.stringify(linked.stdout.last));
    assert.ok(!plain.stdout.last.includes('\u001B]8;;'));
    assert.equal(stripVTControlCharacters(plain.stdout.last).trim(), url);
    linked.instance.unmount();
    plain.instance.unmount();
  });
});

describe('layout', () => {
  test('at 60 columns no line is wider than the terminal; a resize to 90 re-lays the cards out', async () => {
    let clock = NOW;
    const store = new WizardStore(() => clock);
    for (const [t, e] of events.MID_RUN) {
      clock = NOW + t;
      store.dispatch(e);
    }
    const snap = store.getSnapshot();
    const tree = h(React.Fragment, null, h(FinishedSteps, { items: snap.finished }), h(ProgressScreen, { model: snap.progress }));
    const { stdout, instance } = renderAt(60, tree, stillEnv(NOW + 5000));
    await settle();
    assert.ok(widest(stdout.last) <= 60, stripVTControlCharacters(stdout.last));
    assert.match(stripVTControlCharacters(stdout.last), /Build the image/);
    stdout.resize(90);
    await settle(100);
    assert.equal(widest(stdout.last), 90, 'the cards take the new width');
    instance.unmount();
  });

  test('the prerequisites card fits 60 columns too', async () => {
    const ok = <T,>(value: T) => ({ ok: true as const, value });
    const services = {
      checkIdentity: async () => ok({ account: '123456789012', arn: 'arn:aws:iam::123456789012:user/a-rather-long-user-name', region: 'eu-west-1' }),
      pingDocker: async () => ({ ok: false as const, error: { code: 'DOCKER_UNAVAILABLE', message: 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?', hint: 'Start Docker Desktop (or dockerd) and check `docker version`.' } }),
      localCertificates: async () => ({ certFile: '/c/cert.pem', keyFile: '/c/key.pem', present: false }),
      generateCertificates: async () => ({ ok: false as const, error: { code: 'X', message: 'x' } }),
      listCertificates: async () => ok([]),
      importCertificate: async () => ({ ok: false as const, error: { code: 'X', message: 'x' } }),
      templatesPresent: async () => ({ found: ['infra/hello-world-ecr-infra.yaml', 'infra/hello-world-infra.yaml', 'Dockerfile'], missing: [] }),
      preflight: async () => ok(CLEAR_PREFLIGHT),
      loadAnswers: async () => undefined,
      saveAnswers: async () => ok(''),
      deploy: async () => ({ exitCode: 0 as const }),
      stackStatus: async () => undefined,
      cancelUpdate: async () => ok(undefined),
    };
    const { stdout, instance } = renderAt(60, h(Checklist, { services, start: { passThrough: [] }, ecosystem: 'x', onDone: () => undefined, onBack: () => undefined }));
    await settle(150);
    const f = stripVTControlCharacters(stdout.last);
    assert.match(f, /daemon +running\?/);
    assert.ok(widest(stdout.last) <= 60, f);
    instance.unmount();
  });
});
