// The base image the app builds FROM, read from the files that name it: the Dockerfile's default must be a pinned
// Python on Debian's current stable, and every copy of the local stand-in's name (the CLI, the tests, the bench and
// the setup script that builds it) must agree with each other and with the Debian release the setup debootstraps.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { LOCAL_BASE_IMAGE, dockerfileDefaultBase } from '../cli/domain/base-image.ts';
import { BASE_IMAGE as TEST_BASE_IMAGE, ROOT } from './support/paths.ts';

const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');
/** Debian 13, stable since 2025-08; bookworm (12) is on LTS only since 2026-06 (https://wiki.debian.org/DebianReleases). */
const DEBIAN_STABLE = 'trixie';

describe('the base image', () => {
  test("the Dockerfile's default is an exact Python patch tag, slim, on Debian's current stable", () => {
    const base = dockerfileDefaultBase(read('Dockerfile'));
    const m = /^python:3\.(\d+)\.\d+-slim-([a-z]+)$/.exec(base ?? '');
    assert.ok(m, `ARG BASE_IMAGE=${base} is not python:3.<minor>.<patch>-slim-<debian>`);
    assert.equal(m[2], DEBIAN_STABLE);
    // 3.13 and older get security fixes only since 2026-10 (https://peps.python.org/pep-0719/); 3.14 gets
    // bugfixes until 2027-10 (https://peps.python.org/pep-0745/).
    assert.ok(Number(m[1]) >= 14, `Python 3.${m[1]} receives security fixes only`);
  });

  test('every copy of the local base image name agrees, and names the Debian release setup builds', () => {
    assert.equal(LOCAL_BASE_IMAGE, `hello-deploy/python-base:${DEBIAN_STABLE}`);
    assert.equal(TEST_BASE_IMAGE, LOCAL_BASE_IMAGE);
    assert.match(read('bench/deploy.bench.mjs'), new RegExp(`const BASE_IMAGE = '${LOCAL_BASE_IMAGE}';`));
    const setup = read('scripts/setup.mjs');
    assert.match(setup, new RegExp(`const SUITE = '${DEBIAN_STABLE}';`));
    assert.match(setup, /export const BASE_IMAGE = `hello-deploy\/python-base:\$\{SUITE\}`;/);
    // The suite debootstrap fetches is the one the tag names, and the stand-in has what the Dockerfile runs.
    assert.match(setup, /debootstrap --variant=minbase --include=python3,python3-venv,ca-certificates \$\{SUITE\} /);
  });
});
