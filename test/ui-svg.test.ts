// scripts/capture-wizard.mjs renders a tmux capture (capture-pane -e) to the README's SVG. Its renderer is run
// here on a small capture with the escape sequences the wizard produces: colours (16, 256, true colour), bold,
// dim, inverse, a background, an OSC 8 link, and text that needs XML escaping.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT } from './support/paths.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'hello-deploy-svg-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('a coloured terminal capture becomes a terminal-window SVG with each styled run in its cell', () => {
  const out = path.join(dir, 'capture.svg');
  const printed = execFileSync(process.execPath, [path.join(ROOT, 'scripts/capture-wizard.mjs'), '--from-ansi', path.join(ROOT, 'test/fixtures/ui/capture.ansi'), '--out', out], { encoding: 'utf8' });
  assert.match(printed, /wrote .*capture\.svg/);
  const svg = readFileSync(out, 'utf8');
  assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="\d+" height="\d+"/);
  assert.match(svg, /<\/svg>\n$/);
  // Four lines of content: trailing blank lines are trimmed, so the height is the header, padding and 4 rows.
  assert.equal(svg.match(/height="(\d+)"/)?.[1], String(36 + 16 + 4 * 18));
  // ✔ in green (SGR 32) at column 0; the dim duration with reduced opacity.
  assert.match(svg, /<text x="16\.0" y="\d+" fill="#98c379" textLength="8\.4"[^>]*>✔<\/text>/);
  assert.match(svg, /opacity="0\.6">0s<\/text>/);
  // 256-colour 208 and bold; true colour as rgb(); XML special characters escaped.
  assert.match(svg, /fill="rgb\(255,135,0\)"[^>]*font-weight="bold">bold orange<\/text>/);
  assert.match(svg, /&lt;tag&gt; &amp; /);
  assert.match(svg, /fill="rgb\(10,20,30\)"[^>]*>true<\/text>/);
  // Inverse swaps colours (a light rect behind dark text); the OSC 8 escape is gone, its text stays, from column 7.
  assert.match(svg, /<rect x="16\.0" y="\d+" width="58\.8" height="18" fill="#d0d0d0"\/>/);
  assert.match(svg, /<text x="74\.8" [^>]*> https:\/\/example\.com<\/text>/);
  assert.ok(!svg.includes(String.fromCharCode(27)) && !svg.includes('8;;'), 'no escape sequences left');
  // A red background cell run.
  assert.match(svg, /<rect x="16\.0" y="\d+" width="16\.8" height="18" fill="#e06c75"\/>/);
  // Every opened text element is closed.
  assert.equal((svg.match(/<text /g) ?? []).length, (svg.match(/<\/text>/g) ?? []).length);
});

test('the checked-in README picture is such a rendering of the real wizard', () => {
  const svg = readFileSync(path.join(ROOT, 'docs/wizard.svg'), 'utf8');
  assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.match(svg, />✔ Live at <\/text>/);
  assert.match(svg, /Confirm the SNS subscription/);
});
