// Makes the README picture: runs the real wizard in tmux against moto, the Docker engine and a local registry,
// drives it with keystrokes to the result screen, captures the pane with its colours (capture-pane -e) and
// renders that to SVG (docs/wizard.svg) with the small ANSI→SVG renderer below.
//
//   node_modules/.bin/node --import tsx scripts/capture-wizard.mjs [--screen result|progress|checklist] [--out docs/wizard.svg]
//   node scripts/capture-wizard.mjs --from-ansi capture.txt --out picture.svg     (render an existing capture)
//
// Needs `npm run build` (it drives bin/hello-deploy.js), `npm run setup` (moto) and a Docker engine.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// ---------------------------------------------------------------- ANSI → SVG
/* eslint-disable no-control-regex -- a terminal renderer has to read escape sequences */

/** A dark terminal palette (the 16 ANSI colours), close to common defaults. */
const PALETTE = [
  '#1d1f21', '#e06c75', '#98c379', '#e5c07b', '#61afef', '#c678dd', '#56b6c2', '#d0d0d0',
  '#5c6370', '#ff7a85', '#b5e890', '#ffd787', '#7cc4ff', '#dd9cf0', '#7fdbe6', '#ffffff',
];
const FG = '#d0d0d0';
const BG = '#1d1f21';

function color256(n) {
  if (n < 16) return PALETTE[n];
  if (n >= 232) {
    const v = 8 + (n - 232) * 10;
    return `rgb(${v},${v},${v})`;
  }
  const i = n - 16;
  const step = (x) => (x === 0 ? 0 : 55 + x * 40);
  return `rgb(${step(Math.floor(i / 36))},${step(Math.floor(i / 6) % 6)},${step(i % 6)})`;
}

/** Applies one SGR parameter list to the style; returns the new style. */
function applySgr(style, params) {
  const p = params.length ? params : [0];
  const s = { ...style };
  for (let i = 0; i < p.length; i++) {
    const n = p[i];
    if (n === 0) Object.assign(s, { fg: undefined, bg: undefined, bold: false, dim: false, italic: false, underline: false, inverse: false });
    else if (n === 1) s.bold = true;
    else if (n === 2) s.dim = true;
    else if (n === 3) s.italic = true;
    else if (n === 4) s.underline = true;
    else if (n === 7) s.inverse = true;
    else if (n === 22) s.bold = s.dim = false;
    else if (n === 23) s.italic = false;
    else if (n === 24) s.underline = false;
    else if (n === 27) s.inverse = false;
    else if (n >= 30 && n <= 37) s.fg = PALETTE[n - 30];
    else if (n >= 90 && n <= 97) s.fg = PALETTE[n - 90 + 8];
    else if (n >= 40 && n <= 47) s.bg = PALETTE[n - 40];
    else if (n >= 100 && n <= 107) s.bg = PALETTE[n - 100 + 8];
    else if (n === 39) s.fg = undefined;
    else if (n === 49) s.bg = undefined;
    else if (n === 38 || n === 48) {
      let c;
      if (p[i + 1] === 5) { c = color256(p[i + 2] ?? 0); i += 2; }
      else if (p[i + 1] === 2) { c = `rgb(${p[i + 2] ?? 0},${p[i + 3] ?? 0},${p[i + 4] ?? 0})`; i += 4; }
      if (n === 38) s.fg = c;
      else s.bg = c;
    }
  }
  return s;
}

/** Splits one line into runs of equally styled cells. Non-SGR escapes (OSC 8 links, cursor moves) are dropped. */
export function parseLine(line, start = {}) {
  const runs = [];
  let style = { ...start };
  let text = '';
  const flush = () => {
    if (text) runs.push({ text, style });
    text = '';
  };
  for (let i = 0; i < line.length; ) {
    if (line[i] === '\u001b') {
      const csi = /^\u001b\[([0-9;:]*)([A-Za-z])/.exec(line.slice(i));
      if (csi) {
        if (csi[2] === 'm') {
          flush();
          style = applySgr(style, csi[1] === '' ? [] : csi[1].split(/[;:]/).map(Number));
        }
        i += csi[0].length;
        continue;
      }
      const osc = /^\u001b\][^\u0007\u001b]*(\u0007|\u001b\\)/.exec(line.slice(i));
      i += osc ? osc[0].length : 1;
      continue;
    }
    const ch = String.fromCodePoint(line.codePointAt(i));
    text += ch;
    i += ch.length;
  }
  flush();
  return { runs, style };
}

const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Renders a terminal capture (text with SGR escapes) to a standalone SVG that looks like a terminal window. */
export function ansiToSvg(capture, { title = 'npx hello-deploy', fontSize = 14 } = {}) {
  const lines = capture.replace(/\r/g, '').split('\n');
  while (lines.length && lines.at(-1).replace(/\u001b\[[0-9;]*m/g, '') === '') lines.pop();
  const cw = fontSize * 0.6;
  const lh = Math.round(fontSize * 1.3);
  const pad = 16;
  const top = 36;
  const parsed = [];
  let style = {};
  for (const l of lines) {
    const r = parseLine(l, style);
    parsed.push(r.runs);
    style = r.style; // tmux carries attributes across lines
  }
  const cols = Math.max(40, ...parsed.map((runs) => runs.reduce((n, r) => n + [...r.text].length, 0)));
  const width = Math.ceil(pad * 2 + cols * cw);
  const height = Math.ceil(top + pad + parsed.length * lh);
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${esc(title)}">`,
    `<rect width="${width}" height="${height}" rx="8" fill="${BG}"/>`,
    `<circle cx="20" cy="18" r="6" fill="#ff5f56"/><circle cx="40" cy="18" r="6" fill="#ffbd2e"/><circle cx="60" cy="18" r="6" fill="#27c93f"/>`,
    `<text x="${width / 2}" y="22" fill="#8a8f98" font-family="ui-monospace,SFMono-Regular,Menlo,Consolas,'DejaVu Sans Mono',monospace" font-size="12" text-anchor="middle">${esc(title)}</text>`,
    `<g font-family="ui-monospace,SFMono-Regular,Menlo,Consolas,'DejaVu Sans Mono',monospace" font-size="${fontSize}" xml:space="preserve">`,
  ];
  parsed.forEach((runs, row) => {
    let col = 0;
    const y = top + row * lh;
    for (const { text, style: s } of runs) {
      const n = [...text].length;
      const x = pad + col * cw;
      const fg = (s.inverse ? s.bg ?? BG : s.fg ?? FG);
      const bg = s.inverse ? s.fg ?? FG : s.bg;
      if (bg) out.push(`<rect x="${x.toFixed(1)}" y="${y - 1}" width="${(n * cw).toFixed(1)}" height="${lh}" fill="${bg}"/>`);
      if (text.trim() !== '') {
        const attrs = [
          `x="${x.toFixed(1)}"`, `y="${y + lh - 5}"`, `fill="${fg}"`, `textLength="${(n * cw).toFixed(1)}"`, 'lengthAdjust="spacingAndGlyphs"',
          s.bold ? 'font-weight="bold"' : '', s.dim ? 'opacity="0.6"' : '', s.italic ? 'font-style="italic"' : '', s.underline ? 'text-decoration="underline"' : '',
        ].filter(Boolean);
        out.push(`<text ${attrs.join(' ')}>${esc(text)}</text>`);
      }
      col += n;
    }
  });
  out.push('</g>', '</svg>', '');
  return out.join('\n');
}

// ---------------------------------------------------------------- driving the wizard

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function capture(screen) {
  // Test-bed helpers (TypeScript): this mode runs under `node --import tsx`.
  const [{ startMoto, FAKE_AWS_ENV }, { startRegistry }, { BASE_IMAGE }, { createTmux }] = await Promise.all([
    import('../test/support/moto.ts'),
    import('../test/support/registry.ts'),
    import('../test/support/paths.ts'),
    import('../test/support/tmux.ts'),
  ]);
  const tmux = createTmux('hello-deploy-capture', { columns: 100, rows: screen === 'result' ? 52 : 40 });
  const waitFor = (text, timeoutMs = 60_000) => tmux.waitScreen(text, timeoutMs);
  const shot = () => tmux.screen({ colours: true });

  const moto = await startMoto();
  const registry = await startRegistry({ username: 'AWS', password: '123456789012-auth-token' });
  const cwd = mkdtempSync(path.join(tmpdir(), 'hello-deploy-capture-'));
  try {
    const args = ['--endpoint-url', moto.endpoint, '--registry', registry.host, '--deploy-method', 'direct'];
    await tmux.start([process.execPath, path.join(ROOT, 'bin/hello-deploy.js'), ...args], {
      cwd,
      env: { ...FAKE_AWS_ENV, HELLO_DEPLOY_BASE_IMAGE: BASE_IMAGE, COLORTERM: 'truecolor' },
    });
    await waitFor('Deploy time');
    await tmux.keys('Enter');
    await waitFor('Alarm e-mail');
    await tmux.type('demo');
    await tmux.keys('Enter');
    await waitFor('❯ Alarm e-mail');
    await tmux.type('ops@example.com');
    await tmux.keys('Enter');
    await waitFor('Generate a self-signed pair');
    if (screen === 'checklist') return await shot();
    await tmux.keys('Enter');
    await waitFor('❯ [ Continue ]');
    await tmux.keys('Enter');
    await waitFor('Deploy now?');
    await tmux.type('y');
    if (screen === 'progress') {
      await waitFor('Build the image');
      await sleep(1500); // let the build tail fill
      return await shot();
    }
    await waitFor('not checked', 240_000); // on the emulator the URL is shown, not checked
    await sleep(300);
    const picture = await shot();
    await tmux.type('q');
    return picture;
  } finally {
    await tmux.kill();
    await registry.stop();
    await moto.stop();
    rmSync(cwd, { recursive: true, force: true });
  }
}

async function main(argv) {
  const arg = (name, dflt) => {
    const i = argv.indexOf(name);
    return i >= 0 && argv[i + 1] ? argv[i + 1] : dflt;
  };
  const out = path.resolve(arg('--out', path.join(ROOT, 'docs/wizard.svg')));
  const fromAnsi = arg('--from-ansi', undefined);
  const screen = arg('--screen', 'result');
  if (!['result', 'progress', 'checklist'].includes(screen)) throw new Error(`--screen ${screen}: use result, progress or checklist`);
  let ansi;
  if (fromAnsi) ansi = readFileSync(fromAnsi, 'utf8');
  else {
    execFileSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs')], { cwd: ROOT, stdio: 'inherit' });
    ansi = await capture(screen);
  }
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, ansiToSvg(ansi));
  process.stdout.write(`wrote ${path.relative(process.cwd(), out)}\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main(process.argv.slice(2));
}
