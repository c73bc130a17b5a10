// Container image references and registry hosts, checked with the grammar Docker and every OCI registry use, so a
// value Docker, ECR or ECS would refuse is exit 2 here and not a failed stack later. The grammar is that of
// github.com/distribution/reference (reference.go and regexp.go, "Grammar"):
//
//   reference        := name [ ":" tag ] [ "@" digest ]
//   name             := [domain '/'] remote-name
//   domain           := host [':' port-number]
//   host             := domain-name | IPv4address | \[ IPv6address \]
//   domain-name      := domain-component ['.' domain-component]*
//   domain-component := /([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])/
//   port-number      := /[0-9]+/          (and, for a TCP port, 1-65535)
//   path-component   := alpha-numeric [separator alpha-numeric]*
//   remote-name      := path-component ['/' path-component]*
//   alpha-numeric    := /[a-z0-9]+/
//   separator        := /[_.]|__|[-]+/
//   tag              := /[\w][\w.-]{0,127}/
//   digest           := algorithm ":" hex   (here: sha256 and 64 lowercase hex digits, what ECR and ECS pin by)
//
// and a name (domain and path, before the tag) is at most 255 characters (NameTotalLengthMax). IPv6 hosts are left
// out: ECR never has one, and the deploy template's ImageId pattern refuses them anyway.
import { AbortError, UsageError } from '../core/errors.ts';
import { shown } from './shown.ts';

const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN_NAME = `${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*`;
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = 'sha256:[a-f0-9]{64}';
const NAME_MAX = 255;
const PORT_MAX = 65535;

/** host[:port], the port captured. */
const HOST_PORT = new RegExp(`^(${DOMAIN_NAME})(?::([0-9]+))?$`);
/** [domain/]path[:tag][@digest], captured in that order. */
const REFERENCE = new RegExp(`^(?:(${DOMAIN_NAME}(?::[0-9]+)?)/)?(${PATH_COMPONENT}(?:/${PATH_COMPONENT})*)(?::(${TAG}))?(?:@(${DIGEST}))?$`);

export interface ImageReference {
  /** The registry host[:port], when the reference names one. */
  domain?: string;
  path: string;
  tag?: string;
  digest?: string;
}

const HINT = 'An image reference looks like 123456789012.dkr.ecr.us-east-1.amazonaws.com/main-hello-world-ecr@sha256:<64 hex digits> (or :<tag>): lowercase path parts separated by one "/", each letters and digits joined by ".", "_", "__" or "-".';

/** Why a host[:port] is not one; undefined when it is. */
function hostProblem(value: string): string | undefined {
  const m = HOST_PORT.exec(value);
  if (m === null) return 'is not a host name with an optional :port (letters, digits, inner hyphens, dot-separated)';
  const port = m[2];
  if (port !== undefined && (Number(port) < 1 || Number(port) > PORT_MAX)) return `has port ${port}; a port is 1-${PORT_MAX}`;
  return undefined;
}

/** A registry host[:port] (`--registry`); returned unchanged. */
export function parseRegistry(raw: string, flag = '--registry'): string {
  const problem = hostProblem(raw);
  if (problem !== undefined) throw new UsageError('BAD_INPUT', `${flag} ${shown(raw)} ${problem}.`, { hint: 'Give the registry as host[:port], e.g. 127.0.0.1:5000.' });
  return raw;
}

/** Why `raw` is not an image reference; undefined when it is. `domain` and `tagOrDigest` make them required. */
function referenceProblem(raw: string, opts: { domain: boolean; tagOrDigest: boolean }): string | undefined {
  const m = REFERENCE.exec(raw);
  if (m === null) {
    if (raw.trim() !== raw) return 'has spaces around it';
    if (/[A-Z]/.test(raw.split(/[:@]/)[0]?.split('/').slice(1).join('/') ?? '')) return 'has capital letters in its repository path (it must be lowercase)';
    return 'does not follow the image reference grammar';
  }
  const [, domain, path = '', , digest] = m;
  if (domain !== undefined) {
    const problem = hostProblem(domain);
    if (problem !== undefined) return `registry ${problem}`;
  }
  if (opts.domain && domain === undefined) return 'names no registry (it must start with host[:port]/)';
  if ((domain === undefined ? 0 : domain.length + 1) + path.length > NAME_MAX) return `has a name longer than ${NAME_MAX} characters`;
  if (opts.tagOrDigest && m[3] === undefined && digest === undefined) return 'has neither a :tag nor an @sha256: digest';
  return undefined;
}

function parsed(raw: string): ImageReference {
  const [, domain, path = '', tag, digest] = REFERENCE.exec(raw) ?? [];
  return { ...(domain ? { domain } : {}), path, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) };
}

/**
 * `--image`: a registry, a repository and exactly one of a tag or a digest (what the infra template's ImageId
 * accepts); the template's own pattern is checked beside this one (cli/domain/template-params.ts).
 */
export function parseDeployImage(raw: string, flag = '--image'): ImageReference {
  const problem = referenceProblem(raw, { domain: true, tagOrDigest: true });
  if (problem !== undefined) throw new UsageError('BAD_INPUT', `${flag} ${shown(raw, 200)} ${problem}.`, { hint: HINT });
  const ref = parsed(raw);
  if (ref.tag !== undefined && ref.digest !== undefined) {
    throw new UsageError('BAD_INPUT', `${flag} ${shown(raw, 200)} has both a tag and a digest; give one (the digest pins the image).`, { hint: HINT });
  }
  return ref;
}

/** `--base-image`, `--localstack-image`: any reference Docker pulls (`python:3.12-slim`, `registry:5000/a/b@sha256:…`). */
export function parseImageName(raw: string, flag: string): ImageReference {
  const problem = referenceProblem(raw, { domain: false, tagOrDigest: false });
  if (problem !== undefined) throw new UsageError('BAD_INPUT', `${flag} ${shown(raw)} ${problem}.`, { hint: 'Give an image reference such as python:3.12-slim or registry.example.com/team/base@sha256:<64 hex digits>.' });
  return parsed(raw);
}

/**
 * The registry account and region of an ECR private registry host, `<account>.dkr.ecr.<region>.amazonaws.com` (and
 * the FIPS `dkr.ecr-fips.` and China `.amazonaws.com.cn` forms); undefined for any other host. The URL format:
 * https://docs.aws.amazon.com/AmazonECR/latest/userguide/Registries.html ("Private registry concepts").
 */
export function ecrRegistryOf(domain: string): { account: string; region: string } | undefined {
  const m = /^([0-9]{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/.exec(domain);
  return m ? { account: m[1]!, region: m[2]! } : undefined;
}

/**
 * A tag can be moved to another image at any time; only a digest pins one. Option checking makes no I/O, so the
 * tag is resolved later, by the push-image step, and the deploy runs that digest: this warning says so up front.
 * `image` is an --image that parseDeployImage accepted.
 */
export function unpinnedImageWarning(image: string): string | undefined {
  if (/@sha256:[a-f0-9]{64}$/.test(image)) return undefined;
  return `--image ${shown(image)} is a tag, not a digest: a tag can be moved to another image. hello-deploy resolves it to its digest before deploying, and the digest is what gets deployed (and what a later run compares with). Pass <repository>@sha256:<digest> to choose the image yourself.`;
}

/** IMAGE_NOT_FOUND for a tagged --image, whichever registry said so (ECR or any other); `why` says what was missing. */
export function imageNotFound(ref: string, why: string): AbortError {
  return new AbortError('IMAGE_NOT_FOUND', `--image ${shown(ref, 200)} was not found: ${why}. Nothing was deployed with it.`, {
    hint: 'Check the repository and the tag (`docker buildx imagetools inspect <image>` shows what a tag points to), push the image, or pass --image <repository>@sha256:<digest>.',
  });
}
