// Images pushed to a real registry with the OCI distribution API itself (blob upload, manifest PUT), for what this
// machine cannot build: an image of the other CPU architecture (no emulator here, and nothing runs it: only its
// config says arm64), and an OCI image index over several platforms (no `docker buildx` or `docker manifest` on
// this engine). The registry stores and serves them exactly as it would what docker or buildx pushed.
// https://github.com/opencontainers/distribution-spec/blob/main/spec.md ("Pushing blobs", "Pushing Manifests").
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';

const digestOf = (bytes: Uint8Array) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

export interface PushTarget {
  /** `127.0.0.1:PORT` of a plain-HTTP loopback registry. */
  host: string;
  repository: string;
  /** Basic credentials, when the registry wants them. */
  auth?: { username: string; password: string };
}

/** Bearer tokens already fetched, per registry and repository (a token server such as test/support/token-registry.ts). */
const tokens = new Map<string, string>();

function headers(t: PushTarget, extra: Record<string, string> = {}): Record<string, string> {
  const bearer = tokens.get(`${t.host}/${t.repository}`);
  const authorization = t.auth ? `Basic ${Buffer.from(`${t.auth.username}:${t.auth.password}`).toString('base64')}` : bearer ? `Bearer ${bearer}` : undefined;
  return { ...extra, ...(authorization ? { Authorization: authorization } : {}) };
}

/** fetch, answering one Bearer challenge with a pull,push token from its realm (anonymous, as the test token server allows). */
async function send(t: PushTarget, url: string | URL, init: { method: string; headers?: Record<string, string>; body?: Uint8Array }): Promise<Response> {
  const res = await fetch(url, { ...init, headers: headers(t, init.headers) });
  const challenge = /^Bearer realm="([^"]+)",service="([^"]+)"/.exec(res.headers.get('www-authenticate') ?? '');
  if (res.status !== 401 || t.auth || !challenge) return res;
  const tokenUrl = new URL(challenge[1]!);
  tokenUrl.searchParams.set('service', challenge[2]!);
  tokenUrl.searchParams.set('scope', `repository:${t.repository}:pull,push`);
  const { token } = (await (await fetch(tokenUrl)).json()) as { token: string };
  tokens.set(`${t.host}/${t.repository}`, token);
  return fetch(url, { ...init, headers: headers(t, init.headers) });
}

/** POST an upload, then PUT the bytes with their digest (the two-step monolithic upload). Returns the descriptor. */
export async function pushBlob(t: PushTarget, bytes: Uint8Array, mediaType: string): Promise<{ mediaType: string; digest: string; size: number }> {
  const digest = digestOf(bytes);
  const start = await send(t, `http://${t.host}/v2/${t.repository}/blobs/uploads/`, { method: 'POST' });
  if (start.status !== 202) throw new Error(`blob upload start: HTTP ${start.status} ${await start.text()}`);
  const location = new URL(start.headers.get('location') ?? '', `http://${t.host}`);
  location.searchParams.set('digest', digest);
  const put = await send(t, location, { method: 'PUT', headers: { 'Content-Type': 'application/octet-stream' }, body: bytes });
  if (put.status !== 201) throw new Error(`blob upload: HTTP ${put.status} ${await put.text()}`);
  return { mediaType, digest, size: bytes.length };
}

/** PUT a manifest (an image manifest or an index) under `reference`; returns the digest the registry answers. */
export async function putManifest(t: PushTarget, reference: string, manifest: object, mediaType: string): Promise<{ digest: string; size: number }> {
  const body = Buffer.from(JSON.stringify(manifest));
  const res = await send(t, `http://${t.host}/v2/${t.repository}/manifests/${reference}`, { method: 'PUT', headers: { 'Content-Type': mediaType }, body });
  if (res.status !== 201) throw new Error(`manifest PUT ${reference}: HTTP ${res.status} ${await res.text()}`);
  const digest = res.headers.get('docker-content-digest') ?? digestOf(body);
  if (digest !== digestOf(body)) throw new Error(`the registry says ${digest} for a manifest whose SHA-256 is ${digestOf(body)}`);
  return { digest, size: body.length };
}

/**
 * A one-layer OCI image whose config says `os`/`architecture` (the layer: one small file, gzipped tar), pushed as
 * `tag`. Returns the manifest's digest and size, as an index entry names it.
 */
export async function pushImageFor(t: PushTarget, tag: string, platform: { os: string; architecture: string; variant?: string }, content = `${platform.architecture} ${tag}\n`): Promise<{ digest: string; size: number }> {
  const tar = tarOf('hello.txt', Buffer.from(content));
  const layer = await pushBlob(t, gzipSync(tar), 'application/vnd.oci.image.layer.v1.tar+gzip');
  const config = await pushBlob(t, Buffer.from(JSON.stringify({ ...platform, rootfs: { type: 'layers', diff_ids: [digestOf(tar)] }, config: {} })), 'application/vnd.oci.image.config.v1+json');
  return putManifest(t, tag, { schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config, layers: [layer] }, 'application/vnd.oci.image.manifest.v1+json');
}

/**
 * An image of this machine's platform (what a build here would make), pushed as `repository:tag`: for deploys with
 * --image that need no Docker engine. Returns the reference by digest.
 */
export async function pushHostImage(host: string, repository: string, tag: string): Promise<string> {
  const { digest } = await pushImageFor({ host, repository }, tag, { os: 'linux', architecture: process.arch === 'arm64' ? 'arm64' : 'amd64' });
  return `${host}/${repository}@${digest}`;
}

/** A ustar archive of one regular file (512-byte header, the data padded to 512, two zero blocks). */
function tarOf(name: string, data: Buffer): Buffer {
  const header = Buffer.alloc(512);
  header.write(name, 0, 'utf8');
  header.write('0000644\0', 100);
  header.write('0000000\0', 108);
  header.write('0000000\0', 116);
  header.write(`${data.length.toString(8).padStart(11, '0')}\0`, 124);
  header.write('00000000000\0', 136);
  header.write('        ', 148);
  header.write('0', 156);
  header.write('ustar\0' + '00', 257);
  let sum = 0;
  for (const b of header) sum += b;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return Buffer.concat([header, data, Buffer.alloc((512 - (data.length % 512)) % 512), Buffer.alloc(1024)]);
}
