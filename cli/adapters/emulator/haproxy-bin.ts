// Where HAProxy is: cheap to ask (no SDK loaded), so the rehearsal can say up front whether it has a load balancer.
import { existsSync } from 'node:fs';
import path from 'node:path';

/** Debian's haproxy (scripts/setup.mjs installs it), or HELLO_DEPLOY_HAPROXY. */
export function findHaproxy(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.HELLO_DEPLOY_HAPROXY) return existsSync(env.HELLO_DEPLOY_HAPROXY) ? env.HELLO_DEPLOY_HAPROXY : undefined;
  for (const dir of ['/usr/sbin', '/usr/local/sbin', ...(env.PATH ?? '').split(path.delimiter)]) if (dir && existsSync(path.join(dir, 'haproxy'))) return path.join(dir, 'haproxy');
  return undefined;
}
