// What an image manifest says about the platforms an image runs on, read the way a container runtime reads it
// (https://github.com/opencontainers/image-spec: image-index.md, manifest.md, config.md):
// - an index (OCI image index, or Docker's manifest list) names each platform beside each manifest it lists;
// - a single manifest names none: its config blob (`config.digest`) holds `os` and `architecture` (and `variant`);
// - Docker's legacy schema 1 manifest carries `architecture` itself (always Linux).
// Pure: the adapters fetch the bytes (from a registry's /v2/ API, or from ECR's API) and hand them in here.
import { createHash } from 'node:crypto';
import type { ImagePlatform } from './architecture.ts';

/** Every manifest type a tag can name, so a registry answers with the manifest as pushed (an index stays an index). */
export const MANIFEST_MEDIA_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
] as const;

export type ParsedManifest =
  | { kind: 'index'; platforms: ImagePlatform[] }
  | { kind: 'image'; configDigest: string }
  | { kind: 'image'; platform: ImagePlatform };

const DIGEST = /^sha256:[a-f0-9]{64}$/;

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

function platformOf(p: unknown): ImagePlatform | undefined {
  if (!isObj(p)) return undefined;
  const os = str(p['os']);
  const architecture = str(p['architecture']);
  if (!os || !architecture) return undefined;
  const variant = str(p['variant']);
  return { os, architecture, ...(variant ? { variant } : {}) };
}

function parseJson(bytes: Uint8Array | string, what: string): Json {
  let v: unknown;
  try {
    v = JSON.parse(typeof bytes === 'string' ? bytes : Buffer.from(bytes).toString('utf8'));
  } catch {
    throw new Error(`${what} is not JSON`);
  }
  if (!isObj(v)) throw new Error(`${what} is not a JSON object`);
  return v;
}

/**
 * The platforms a manifest names, or the config blob to read them from. `mediaType` is the Content-Type the registry
 * answered with (a manifest's own `mediaType` field is optional in OCI). Throws an Error saying what is wrong with
 * a body that is no manifest.
 */
export function parseManifest(bytes: Uint8Array | string, mediaType?: string): ParsedManifest {
  const m = parseJson(bytes, 'the manifest');
  const type = str(m['mediaType']) ?? mediaType ?? '';
  if (Array.isArray(m['manifests']) || /index|manifest\.list/.test(type)) {
    const entries = Array.isArray(m['manifests']) ? m['manifests'] : [];
    const platforms = entries.flatMap((e) => {
      if (!isObj(e)) return [];
      // BuildKit's attestations sit in the index as "unknown/unknown" manifests: they are not runnable platforms.
      const annotations = isObj(e['annotations']) ? e['annotations'] : {};
      if (annotations['vnd.docker.reference.type'] === 'attestation-manifest') return [];
      const p = platformOf(e['platform']);
      return p && p.os !== 'unknown' && p.architecture !== 'unknown' ? [p] : [];
    });
    return { kind: 'index', platforms };
  }
  if (m['schemaVersion'] === 1) {
    const architecture = str(m['architecture']);
    if (!architecture) throw new Error('the schema 1 manifest names no architecture');
    return { kind: 'image', platform: { os: 'linux', architecture } };
  }
  const config = isObj(m['config']) ? str(m['config']['digest']) : undefined;
  if (!config || !DIGEST.test(config)) throw new Error('the manifest has neither a list of manifests nor a sha256 config digest');
  return { kind: 'image', configDigest: config };
}

/** The platform an image config blob names (`os`, `architecture`, `variant`). */
export function parseImageConfig(bytes: Uint8Array | string): ImagePlatform {
  const p = platformOf(parseJson(bytes, 'the image config'));
  if (!p) throw new Error('the image config names no os and architecture');
  return p;
}

/** `sha256:<hex>` of these bytes: a manifest's or a blob's digest, by definition (content addressing). */
export const sha256Digest = (bytes: Uint8Array): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
