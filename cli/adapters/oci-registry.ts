// ImageDigestPort over the OCI distribution API (the Docker Registry HTTP API v2 it grew from), for registries
// that are not ECR: `HEAD /v2/<name>/manifests/<tag>` answers the manifest's digest in Docker-Content-Digest
// (https://github.com/opencontainers/distribution-spec/blob/main/spec.md, "Pulling manifests"). A registry that
// wants a token answers 401 with `WWW-Authenticate: Bearer realm=…,service=…,scope=…`; an anonymous token from the
// realm and one retry read any public image (https://distribution.github.io/distribution/spec/auth/token). The
// platforms an image runs on come from `GET /v2/<name>/manifests/<reference>` (an index lists them) and, for a
// single image, `GET /v2/<name>/blobs/<config digest>` (its config names them): cli/domain/image-manifest.ts.
//
// Written here, not taken from npm: the clients there (@snyk/docker-registry-v2-client, docker-registry-client)
// bring their own HTTP stacks (needle, restify) for what is one HEAD or two GETs, at most one token GET and one
// retry over Node's fetch, and neither bounds its calls the way every other call of a deploy is bounded.
import { AbortError } from '../core/errors.ts';
import { imageNotFound } from '../domain/image-ref.ts';
import { MANIFEST_MEDIA_TYPES, parseImageConfig, parseManifest, sha256Digest } from '../domain/image-manifest.ts';
import { shown } from '../domain/shown.ts';
import type { ImageDigestPort, ImagePlatforms, RegistryImage, RegistryLogin } from '../ports/deploy.ts';

/**
 * Every manifest type a tag can name. Offering all four makes the registry answer with the manifest as pushed (a
 * multi-platform index stays an index): its digest is what `docker push` printed and what ECS pulls. Left out, a
 * registry may convert the manifest, and the converted one has another digest.
 */
export const MANIFEST_TYPES = MANIFEST_MEDIA_TYPES.join(', ');

const SHA256 = /^sha256:[a-f0-9]{64}$/;

/** Plain HTTP for loopback registries, as Docker allows them without TLS; HTTPS for every other. */
export function registryBase(host: string): string {
  const name = host.replace(/:[0-9]+$/, '');
  return `${name === 'localhost' || /^127(\.[0-9]{1,3}){3}$/.test(name) ? 'http' : 'https'}://${host}`;
}

/** `Bearer realm="…",service="…"` → { scheme: 'bearer', params: { realm, service } }. */
export function parseChallenge(header: string | null): { scheme: string; params: Record<string, string> } | undefined {
  const m = /^\s*([A-Za-z]+)\s*(.*)$/.exec(header ?? '');
  if (!m) return undefined;
  const params: Record<string, string> = {};
  for (const p of m[2]!.matchAll(/([A-Za-z]+)="([^"]*)"/g)) params[p[1]!.toLowerCase()] = p[2]!;
  return { scheme: m[1]!.toLowerCase(), params };
}

export function createOciImageDigests(opts: { timeoutMs: number }): ImageDigestPort {
  return {
    async resolve(image, { login, signal } = {}) {
      const session = registrySession(image, 'resolve', { ...(login ? { login } : {}), ...(signal ? { signal } : {}) }, opts.timeoutMs);
      const url = session.url(`manifests/${image.tag}`);
      let res = await session.request('HEAD', url);
      // 404 is MANIFEST_UNKNOWN (no such tag) or NAME_UNKNOWN (no such repository): the same advice for both.
      if (res.status === 404) throw imageNotFound(session.ref, `${image.registry} has no tag ${shown(image.tag)} in ${shown(image.repository, 200)}`);
      if (!res.ok) throw session.refused(`answered HTTP ${res.status} to HEAD ${url}${res.status === 401 || res.status === 403 ? ' (access denied: the repository may be private, or may not exist)' : ''}`);
      let digest = res.headers.get('docker-content-digest');
      if (digest === null) {
        // The header is optional for a registry; a manifest's digest is by definition the SHA-256 of its bytes.
        res = await session.request('GET', url);
        if (!res.ok) throw session.refused(`answered HTTP ${res.status} to GET ${url}`);
        digest = sha256Digest(new Uint8Array(await res.arrayBuffer()));
      }
      if (!SHA256.test(digest)) throw session.refused(`answered a digest that is not sha256:<64 hex digits> (${shown(digest)})`);
      return { digest };
    },

    async platforms(image, { login, signal } = {}) {
      const session = registrySession(image, 'read', { ...(login ? { login } : {}), ...(signal ? { signal } : {}) }, opts.timeoutMs);
      const reference = image.digest ?? image.tag ?? 'latest';
      const manifest = await session.fetchBytes(`manifests/${reference}`, MANIFEST_TYPES, `${image.digest ? 'no manifest' : 'no tag'} ${shown(reference)} in ${shown(image.repository, 200)}`);
      const computed = sha256Digest(manifest.bytes);
      // By digest, the bytes must be those the digest names (content addressing); by tag, the header says which
      // manifest the tag names, and the bytes' own digest is the fallback.
      if (image.digest && computed !== image.digest) throw session.refused(`answered a manifest whose SHA-256 is ${computed}, not the ${image.digest} asked for`);
      const header = manifest.headers.get('docker-content-digest');
      const digest = image.digest ?? (header && SHA256.test(header) ? header : computed);
      const parsed = session.parse(() => parseManifest(manifest.bytes, manifest.headers.get('content-type') ?? undefined));
      if (parsed.kind === 'index') return { digest, platforms: parsed.platforms };
      if ('platform' in parsed) return { digest, platforms: [parsed.platform] };
      const config = await session.fetchBytes(`blobs/${parsed.configDigest}`, '*/*', `no config blob ${parsed.configDigest} for ${shown(reference)}`);
      if (sha256Digest(config.bytes) !== parsed.configDigest) throw session.refused(`answered a config blob whose SHA-256 is not ${parsed.configDigest}`);
      return { digest, platforms: [session.parse(() => parseImageConfig(config.bytes))] } satisfies ImagePlatforms;
    },
  };
}

type Send = (method: 'HEAD' | 'GET', url: string, authorization?: string, accept?: string) => Promise<Response>;

/**
 * One image's conversation with its registry: each request bounded on its own (Ctrl-C cuts it short too), the
 * first 401 answered once (an anonymous token, or Basic with `login`), and that answer reused for what follows.
 * `doing` words the messages: resolving a tag to a digest, or reading the manifest (its platforms).
 */
function registrySession(image: RegistryImage, doing: 'resolve' | 'read', { login, signal }: { login?: () => Promise<RegistryLogin>; signal?: AbortSignal }, timeoutMs: number) {
  const ref = image.digest ? `${image.registry}/${image.repository}@${image.digest}` : `${image.registry}/${image.repository}:${image.tag ?? 'latest'}`;
  const base = `${registryBase(image.registry)}/v2/${image.repository}/`;
  const failing = doing === 'resolve' ? `Resolving --image ${shown(ref, 200)} to a digest failed` : `Reading the manifest of --image ${shown(ref, 200)} (to check its architecture) failed`;
  const refused = (what: string) => new AbortError('REGISTRY_ERROR', `${failing}: the registry ${image.registry} ${what}.`, { hint: doing === 'resolve' ? DIGEST_HINT : READ_HINT });
  const send: Send = async (method, target, authorization, accept = MANIFEST_TYPES) => {
    const bound = AbortSignal.timeout(timeoutMs);
    try {
      return await fetch(target, { method, headers: { Accept: accept, ...(authorization ? { Authorization: authorization } : {}) }, signal: signal ? AbortSignal.any([bound, signal]) : bound });
    } catch (err) {
      if (signal?.aborted) throw err;
      const why = bound.aborted ? `no answer within ${timeoutMs / 1000} s` : causeOf(err);
      // Node's fetch refuses the ports the Fetch standard blocks (6000, 6665-6669, 10080, …) before connecting.
      throw unreachable(ref, new URL(target).host, why === 'bad port' ? `Node's fetch refuses port ${new URL(target).port} (a port the Fetch standard blocks); serve the registry on another port` : why, err, doing);
    }
  };
  let authorization: string | undefined;
  let challenged = false;
  const request = async (method: 'HEAD' | 'GET', target: string, accept?: string): Promise<Response> => {
    const res = await send(method, target, authorization, accept);
    if (res.status !== 401 || challenged) return res;
    challenged = true;
    authorization = await answer(parseChallenge(res.headers.get('www-authenticate')), image.repository, refused, login, send);
    return send(method, target, authorization, accept);
  };
  return {
    ref,
    url: (path: string) => base + path,
    refused,
    request,
    /** GET base+path: the bytes and headers; 404 is IMAGE_NOT_FOUND saying `missing`, any other failure REGISTRY_ERROR. */
    async fetchBytes(path: string, accept: string, missing: string): Promise<{ bytes: Uint8Array; headers: Headers }> {
      const res = await request('GET', base + path, accept);
      if (res.status === 404) throw imageNotFound(ref, `${image.registry} has ${missing}`);
      if (!res.ok) throw refused(`answered HTTP ${res.status} to GET ${base + path}${res.status === 401 || res.status === 403 ? ' (access denied: the repository may be private, or may not exist)' : ''}`);
      return { bytes: new Uint8Array(await res.arrayBuffer()), headers: res.headers };
    },
    /** A parse of what the registry sent; what is wrong with it becomes REGISTRY_ERROR. */
    parse<T>(f: () => T): T {
      try {
        return f();
      } catch (err) {
        throw refused(`answered something unusable: ${err instanceof Error ? err.message : String(err)}`);
      }
    },
  };
}

/** The Authorization header that answers a 401's challenge: an anonymous Bearer token, or Basic with `login`. */
async function answer(challenge: ReturnType<typeof parseChallenge>, repository: string, refused: (what: string) => AbortError, login: (() => Promise<RegistryLogin>) | undefined, send: Send): Promise<string> {
  if (challenge?.scheme === 'basic' && login) {
    const l = await login();
    return `Basic ${Buffer.from(`${l.username}:${l.password}`).toString('base64')}`;
  }
  const realm = challenge?.scheme === 'bearer' ? challenge.params['realm'] : undefined;
  if (!realm || !/^https?:\/\//.test(realm)) {
    throw refused(`asks for credentials (${challenge ? `${challenge.scheme} authentication` : 'HTTP 401 with no usable challenge'}); hello-deploy reads other registries anonymously`);
  }
  const tokenUrl = new URL(realm);
  if (challenge!.params['service']) tokenUrl.searchParams.set('service', challenge!.params['service']);
  tokenUrl.searchParams.set('scope', challenge!.params['scope'] ?? `repository:${repository}:pull`);
  const res = await send('GET', tokenUrl.href, undefined, 'application/json');
  const body = res.ok ? ((await res.json().catch(() => ({}))) as { token?: unknown; access_token?: unknown }) : {};
  // Docker Hub names it `token`, OAuth-style servers `access_token`.
  const token = typeof body.token === 'string' ? body.token : typeof body.access_token === 'string' ? body.access_token : undefined;
  if (!token) throw refused(`gave no anonymous token (${tokenUrl.origin}${tokenUrl.pathname} answered HTTP ${res.status})`);
  return `Bearer ${token}`;
}

const DIGEST_HINT = 'Pass the image by digest instead: --image <repository>@sha256:<digest> (`docker buildx imagetools inspect <image>` prints it, and so does `docker push`).';
/** ECS pulls the image anonymously too (the task definition has no registry credentials): what hello-deploy cannot read, Fargate could not pull. */
const READ_HINT = 'hello-deploy reads the image\'s manifest before any stack changes, to check that its architecture is the one the tasks run (--arch); ECS pulls other registries than ECR anonymously, so the image must be readable without a password. `docker buildx imagetools inspect <image>` shows what the registry answers.';

function unreachable(ref: string, host: string, why: string, cause: unknown, doing: 'resolve' | 'read'): AbortError {
  return new AbortError('REGISTRY_UNREACHABLE', `Could not reach the registry ${host} to ${doing === 'resolve' ? 'resolve' : 'read the manifest of'} --image ${shown(ref, 200)}${doing === 'resolve' ? ' to a digest' : ''}: ${why}.`, {
    hint: `Check that ${host} is up and reachable from here (and the network or proxy settings), then run again.${doing === 'resolve' ? ` ${DIGEST_HINT}` : ''}`,
    cause,
  });
}

/** fetch() says only "fetch failed"; the network error (ECONNREFUSED 127.0.0.1:5999, ENOTFOUND …) is its cause. */
function causeOf(err: unknown): string {
  let e: unknown = err;
  while (e instanceof Error && e.cause !== undefined) e = e.cause;
  if (e instanceof AggregateError && e.errors.length) e = e.errors[0];
  const code = (e as { code?: unknown }).code;
  const message = e instanceof Error ? e.message : String(e);
  return typeof code === 'string' && !message.includes(code) ? `${code}: ${message}` : message;
}
