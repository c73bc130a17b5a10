// ImageDigestPort over the OCI distribution API (the Docker Registry HTTP API v2 it grew from), for registries
// that are not ECR: `HEAD /v2/<name>/manifests/<tag>` answers the manifest's digest in Docker-Content-Digest
// (https://github.com/opencontainers/distribution-spec/blob/main/spec.md, "Pulling manifests"). A registry that
// wants a token answers 401 with `WWW-Authenticate: Bearer realm=…,service=…,scope=…`; an anonymous token from the
// realm and one retry read any public image (https://distribution.github.io/distribution/spec/auth/token).
//
// Written here, not taken from npm: the clients there (@snyk/docker-registry-v2-client, docker-registry-client)
// bring their own HTTP stacks (needle, restify) for what is one HEAD, at most one token GET and one retry over
// Node's fetch, and neither bounds its calls the way every other call of a deploy is bounded.
import { createHash } from 'node:crypto';
import { AbortError } from '../core/errors.ts';
import { imageNotFound } from '../domain/image-ref.ts';
import { shown } from '../domain/shown.ts';
import type { ImageDigestPort, RegistryLogin, TaggedImage } from '../ports/deploy.ts';

/**
 * Every manifest type a tag can name. Offering all four makes the registry answer with the manifest as pushed (a
 * multi-platform index stays an index): its digest is what `docker push` printed and what ECS pulls. Left out, a
 * registry may convert the manifest, and the converted one has another digest.
 */
export const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

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
      const ref = `${image.registry}/${image.repository}:${image.tag}`;
      const url = `${registryBase(image.registry)}/v2/${image.repository}/manifests/${image.tag}`;
      // Each request is bounded on its own; Ctrl-C (signal) cuts it short too.
      const send = async (method: 'HEAD' | 'GET', target: string, authorization?: string, accept = MANIFEST_TYPES): Promise<Response> => {
        const bound = AbortSignal.timeout(opts.timeoutMs);
        try {
          return await fetch(target, { method, headers: { Accept: accept, ...(authorization ? { Authorization: authorization } : {}) }, signal: signal ? AbortSignal.any([bound, signal]) : bound });
        } catch (err) {
          if (signal?.aborted) throw err;
          const why = bound.aborted ? `no answer within ${opts.timeoutMs / 1000} s` : causeOf(err);
          // Node's fetch refuses the ports the Fetch standard blocks (6000, 6665-6669, 10080, …) before connecting.
          throw unreachable(image, new URL(target).host, why === 'bad port' ? `Node's fetch refuses port ${new URL(target).port} (a port the Fetch standard blocks); serve the registry on another port` : why, err);
        }
      };

      let authorization: string | undefined;
      let res = await send('HEAD', url);
      if (res.status === 401) {
        authorization = await answer(parseChallenge(res.headers.get('www-authenticate')), image, login, send);
        res = await send('HEAD', url, authorization);
      }
      // 404 is MANIFEST_UNKNOWN (no such tag) or NAME_UNKNOWN (no such repository): the same advice for both.
      if (res.status === 404) throw imageNotFound(ref, `${image.registry} has no tag ${shown(image.tag)} in ${shown(image.repository, 200)}`);
      if (!res.ok) throw refused(image, `answered HTTP ${res.status} to HEAD ${url}${res.status === 401 || res.status === 403 ? ' (access denied: the repository may be private, or may not exist)' : ''}`);
      let digest = res.headers.get('docker-content-digest');
      if (digest === null) {
        // The header is optional for a registry; a manifest's digest is by definition the SHA-256 of its bytes.
        const got = await send('GET', url, authorization);
        if (!got.ok) throw refused(image, `answered HTTP ${got.status} to GET ${url}`);
        digest = `sha256:${createHash('sha256').update(Buffer.from(await got.arrayBuffer())).digest('hex')}`;
      }
      if (!SHA256.test(digest)) throw refused(image, `answered a digest that is not sha256:<64 hex digits> (${shown(digest)})`);
      return { digest };
    },
  };
}

type Send = (method: 'HEAD' | 'GET', url: string, authorization?: string, accept?: string) => Promise<Response>;

/** The Authorization header that answers a 401's challenge: an anonymous Bearer token, or Basic with `login`. */
async function answer(challenge: ReturnType<typeof parseChallenge>, image: TaggedImage, login: (() => Promise<RegistryLogin>) | undefined, send: Send): Promise<string> {
  if (challenge?.scheme === 'basic' && login) {
    const l = await login();
    return `Basic ${Buffer.from(`${l.username}:${l.password}`).toString('base64')}`;
  }
  const realm = challenge?.scheme === 'bearer' ? challenge.params['realm'] : undefined;
  if (!realm || !/^https?:\/\//.test(realm)) {
    throw refused(image, `asks for credentials (${challenge ? `${challenge.scheme} authentication` : 'HTTP 401 with no usable challenge'}); hello-deploy reads other registries anonymously`);
  }
  const tokenUrl = new URL(realm);
  if (challenge!.params['service']) tokenUrl.searchParams.set('service', challenge!.params['service']);
  tokenUrl.searchParams.set('scope', challenge!.params['scope'] ?? `repository:${image.repository}:pull`);
  const res = await send('GET', tokenUrl.href, undefined, 'application/json');
  const body = res.ok ? ((await res.json().catch(() => ({}))) as { token?: unknown; access_token?: unknown }) : {};
  // Docker Hub names it `token`, OAuth-style servers `access_token`.
  const token = typeof body.token === 'string' ? body.token : typeof body.access_token === 'string' ? body.access_token : undefined;
  if (!token) throw refused(image, `gave no anonymous token (${tokenUrl.origin}${tokenUrl.pathname} answered HTTP ${res.status})`);
  return `Bearer ${token}`;
}

const DIGEST_HINT = 'Pass the image by digest instead: --image <repository>@sha256:<digest> (`docker buildx imagetools inspect <image>` prints it, and so does `docker push`).';

function refused(image: TaggedImage, what: string): AbortError {
  return new AbortError('REGISTRY_ERROR', `Resolving --image ${shown(`${image.registry}/${image.repository}:${image.tag}`, 200)} to a digest failed: the registry ${image.registry} ${what}.`, { hint: DIGEST_HINT });
}

function unreachable(image: TaggedImage, host: string, why: string, cause: unknown): AbortError {
  return new AbortError('REGISTRY_UNREACHABLE', `Could not reach the registry ${host} to resolve --image ${shown(`${image.registry}/${image.repository}:${image.tag}`, 200)} to a digest: ${why}.`, {
    hint: `Check that ${host} is up and reachable from here (and the network or proxy settings), then run again. ${DIGEST_HINT}`,
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
