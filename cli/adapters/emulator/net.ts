// Loopback helpers: everything a rehearsal starts listens on 127.0.0.1 only.
import net from 'node:net';

/** A free TCP port on 127.0.0.1, picked by the OS. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (addr !== null && typeof addr === 'object' ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/** True when nothing holds 127.0.0.1:port (a 0.0.0.0 listener holds it too). */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect(port, '127.0.0.1');
    sock.once('connect', () => {
      sock.destroy();
      resolve(true);
    });
    sock.once('error', () => resolve(false));
  });
}

/**
 * Waits until 127.0.0.1:port accepts connections. `gone` is polled too, so a child that dies on start fails
 * the wait at once instead of after the timeout; `signal` stops the wait on Ctrl-C.
 */
export async function waitForPort(port: number, opts: { timeoutMs: number; gone?: () => string | undefined; signal?: AbortSignal }): Promise<void> {
  const deadline = Date.now() + opts.timeoutMs;
  for (;;) {
    if (await accepts(port)) return;
    const why = opts.gone?.();
    if (why !== undefined) throw new Error(why);
    if (opts.signal?.aborted) throw new Error('interrupted while waiting for it to start');
    if (Date.now() > deadline) throw new Error(`nothing listens on 127.0.0.1:${port} after ${Math.round(opts.timeoutMs / 1000)} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
