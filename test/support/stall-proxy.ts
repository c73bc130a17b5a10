// A loopback TCP proxy in front of an endpoint (moto) that can be told to stop answering: once stalled it still
// accepts connections and reads what is sent, but forwards nothing either way and never closes, which is what a
// SIGSTOPped emulator or a black-holing proxy looks like to a client. Only 127.0.0.1, both sides.
import net from 'node:net';

export interface StallProxy {
  endpoint: string;
  /** From now on nothing is forwarded, on open connections and new ones alike. */
  stall(): void;
  /** Connections accepted so far. */
  connections(): number;
  close(): Promise<void>;
}

export async function startStallProxy(upstreamPort: number): Promise<StallProxy> {
  let stalled = false;
  let accepted = 0;
  const sockets = new Set<net.Socket>();
  const track = (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => s.destroy());
  };
  const server = net.createServer((client) => {
    accepted += 1;
    track(client);
    if (stalled) return void client.resume(); // accept, swallow, never answer
    const upstream = net.connect(upstreamPort, '127.0.0.1');
    track(upstream);
    client.on('data', (d) => void (stalled || upstream.write(d)));
    upstream.on('data', (d) => void (stalled || client.write(d)));
    // While answering, a close on one side closes the other; once stalled, the client is left hanging.
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => void (stalled || client.destroy()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stall: () => void (stalled = true),
    connections: () => accepted,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
