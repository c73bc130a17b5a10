// The image the app's Dockerfile builds FROM. The Dockerfile names its own default (`ARG BASE_IMAGE=…`, a public
// image that must be pulled); --base-image (or HELLO_DEPLOY_BASE_IMAGE) overrides it with any image this machine
// has, such as the one `.ci/run` builds with debootstrap where nothing can be pulled.

/** The local base image the project's setup builds, and the one `--local` falls back to when the default is absent. */
export const LOCAL_BASE_IMAGE = 'hello-deploy/python-base:trixie';

/** The Dockerfile's own default base image (`ARG BASE_IMAGE=…`), read from its text. */
export function dockerfileDefaultBase(text: string): string | undefined {
  return /^\s*ARG\s+BASE_IMAGE=(\S+)/m.exec(text)?.[1];
}

/** Build output that says the base image could not be fetched (no network, no such image, no access). */
export const BASE_PULL_FAILED =
  /failed to resolve source metadata|pull access denied|manifest unknown|manifest for \S+ not found|repository does not exist|failed to do request|error pulling image|Get "https?:\/\/[^"]*\/v2\/|dial tcp|no such host|network is unreachable|i\/o timeout|TLS handshake timeout/i;
