#!/usr/bin/env zx
// Prepares this machine for the test bed and for `--local`: idempotent, so CI and a developer can run it
// every time. Each part checks before it acts:
//   1. Debian packages (Docker engine, debootstrap, the registry, wrk, openssl, tmux, haproxy, python3-venv) — only as root,
//      only if missing.
//   2. The project virtualenv .venv with pinned moto[server], cfn-lint and the app's requirements.
//   3. A running Docker engine (--bridge=none --iptables=false, its own data root): containers use the host network.
//   4. The local Python base image, built with debootstrap and `docker import`, because no image can be pulled.
//   5. actionlint (pinned, `go install` into .tools/bin), which checks the workflow `ci init` writes, with shellcheck.
import { createHash } from 'node:crypto';
import { readFileSync, existsSync, writeFileSync, mkdtempSync, openSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { $, cd, sleep } from 'zx';

$.verbose = false;
const root = path.resolve(import.meta.dirname, '..');
cd(root);
const log = (msg) => console.log(`setup: ${msg}`);
const has = async (cmd) => (await $`command -v ${cmd}`.nothrow()).exitCode === 0;

// Debian's current stable, as the Dockerfile's default (python:…-slim-trixie) is: the stand-in matches its Debian
// release, so what builds and runs here builds and runs there. Renaming the suite renames the tag, so a machine
// that still has an older stand-in builds the new one instead of skipping.
const SUITE = 'trixie';
export const BASE_IMAGE = `hello-deploy/python-base:${SUITE}`;

// 1. System packages.
// tmux is the pseudo-terminal the wizard tests drive; haproxy stands in for the ALB in `--local` (a real TLS proxy).
// shellcheck: actionlint runs it on the workflow's run: scripts; golang-go: the toolchain that builds actionlint.
const wanted = { shellcheck: 'shellcheck', go: 'golang-go', dockerd: 'docker.io', docker: 'docker.io', debootstrap: 'debootstrap', 'docker-registry': 'docker-registry', wrk: 'wrk', openssl: 'openssl', htpasswd: 'apache2-utils', tmux: 'tmux', haproxy: 'haproxy' };
const missing = [];
for (const [cmd, pkg] of Object.entries(wanted)) if (!(await has(cmd))) missing.push(pkg);
// Debian's own python3 makes virtualenvs only with python3-venv (ensurepip); a python3 built elsewhere has it.
if (!existsSync('.venv/bin/python') && (await $`python3 -c 'import ensurepip'`.nothrow()).exitCode !== 0) missing.push('python3-venv');
if (missing.length) {
  if (process.getuid?.() !== 0) {
    log(`missing Debian packages: ${[...new Set(missing)].join(' ')} — install them as root (apt-get install ${[...new Set(missing)].join(' ')})`);
  } else {
    log(`installing ${[...new Set(missing)].join(' ')} (apt-get)…`);
    await $`apt-get update -q`.quiet();
    await $({ env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } })`apt-get install -y -q ${[...new Set(missing)]}`.quiet();
  }
}

// 2. The virtualenv, rebuilt only when a requirements file changes (a stamp holds their hash).
const reqFiles = ['localstack/requirements-moto.txt', 'app/requirements.txt', 'app/requirements-dev.txt'].filter((f) => existsSync(f));
const hash = createHash('sha256');
for (const f of reqFiles) hash.update(readFileSync(f));
const digest = hash.digest('hex');
const stamp = '.venv/.requirements.sha256';
if (existsSync('.venv/bin/python') && existsSync(stamp) && readFileSync(stamp, 'utf8') === digest) {
  log('virtualenv .venv is current');
} else {
  log('creating virtualenv .venv (moto, cfn-lint, app requirements)… about a minute');
  if (!existsSync('.venv/bin/python')) await $`python3 -m venv .venv`;
  await $`.venv/bin/pip install -q --disable-pip-version-check ${reqFiles.flatMap((f) => ['-r', f])}`;
  writeFileSync(stamp, digest);
  log('virtualenv ready');
}

// 3. The Docker engine.
const engineUp = async () => (await $`docker info --format {{.ServerVersion}}`.nothrow()).exitCode === 0;
if (await engineUp()) {
  log('Docker engine answers');
} else if (!(await has('dockerd'))) {
  log('no dockerd on this machine: Docker tests will be skipped with a reason');
} else {
  log('starting dockerd (--bridge=none --iptables=false)…');
  const out = openSync('/tmp/hello-deploy-dockerd.log', 'a');
  const child = spawn('dockerd', ['--bridge=none', '--iptables=false', '--ip6tables=false', '--data-root', '/var/lib/hello-deploy/docker'], { detached: true, stdio: ['ignore', out, out] });
  child.unref();
  for (let i = 0; i < 60 && !(await engineUp()); i++) await sleep(500);
  if (!(await engineUp())) throw new Error('dockerd did not answer within 30 s; see /tmp/hello-deploy-dockerd.log');
  log('Docker engine started');
}

// 4. The base image: no registry can be reached, so build it from Debian packages.
if (await engineUp()) {
  if ((await $`docker image inspect ${BASE_IMAGE}`.nothrow().quiet()).exitCode === 0) {
    log(`base image ${BASE_IMAGE} present`);
  } else {
    log(`building base image ${BASE_IMAGE} with debootstrap… about a minute`);
    const dir = mkdtempSync(path.join(tmpdir(), 'hd-rootfs-'));
    // python3-venv: Debian splits ensurepip out of python3, and the Dockerfile runs `python3 -m venv`.
    await $`debootstrap --variant=minbase --include=python3,python3-venv,ca-certificates ${SUITE} ${dir} http://deb.debian.org/debian`;
    // The image is a local stand-in for python:slim, built on this machine, so it trusts what this machine
    // trusts: where PyPI is reached through an inspecting proxy, pip inside `docker build` needs the same CAs.
    if (existsSync('/etc/ssl/certs/ca-certificates.crt')) await $`cp /etc/ssl/certs/ca-certificates.crt ${dir}/etc/ssl/certs/ca-certificates.crt`;
    if (existsSync('/etc/pip.conf')) await $`cp /etc/pip.conf ${dir}/etc/pip.conf`;
    await $`tar -C ${dir} -c . | docker import - ${BASE_IMAGE}`;
    await $`rm -rf ${dir}`;
    log(`base image ${BASE_IMAGE} built`);
  }
}

// 5. actionlint, pinned: the Go module proxy serves its source and `go install` builds it (no prebuilt binary can
// be downloaded). Rebuilt only when the pinned version changes.
const ACTIONLINT = 'v1.7.12';
const actionlintBin = path.join(root, '.tools', 'bin', 'actionlint');
const actionlintVersion = existsSync(actionlintBin) ? (await $`${actionlintBin} -version`.nothrow()).stdout.split('\n')[0]?.trim() : '';
if (actionlintVersion === ACTIONLINT) {
  log(`actionlint ${ACTIONLINT} present`);
} else if (!(await has('go'))) {
  log('no Go toolchain (Debian golang-go): the actionlint test will fail until it is installed');
} else {
  log(`building actionlint ${ACTIONLINT} (go install)… about half a minute`);
  // It needs Go 1.25 or newer (its go.mod); an older toolchain fails here with Go's own reason, and only the
  // actionlint test fails after it, rather than the whole test bed.
  const built = await $({ env: { ...process.env, GOBIN: path.join(root, '.tools', 'bin'), GOFLAGS: '-mod=mod' } })`go install github.com/rhysd/actionlint/cmd/actionlint@${ACTIONLINT}`.nothrow();
  log(built.exitCode === 0 ? 'actionlint ready' : `actionlint could not be built: ${built.stderr.trim().split('\n').slice(-3).join(' / ')}`);
}
