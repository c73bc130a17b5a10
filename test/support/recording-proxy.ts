// A loopback HTTP proxy in front of moto that records what each request asked for (the JSON protocol's
// X-Amz-Target and body) and forwards it unchanged: moto still does the work and answers. For what moto keeps
// but does not expose, such as an alarm's state history (moto 5.2 has no DescribeAlarmHistory). Only 127.0.0.1.
import http from 'node:http';

export interface Recorded {
  target: string;
  body: string;
}

export interface RecordingProxy {
  endpoint: string;
  recorded: Recorded[];
  close(): Promise<void>;
}

export async function startRecordingProxy(upstreamPort: number): Promise<RecordingProxy> {
  const recorded: Recorded[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      recorded.push({ target: String(req.headers['x-amz-target'] ?? ''), body: body.toString('utf8') });
      const up = http.request({ host: '127.0.0.1', port: upstreamPort, method: req.method, path: req.url, headers: req.headers }, (upRes) => {
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        upRes.pipe(res);
      });
      up.on('error', () => res.destroy());
      up.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  if (addr === null || typeof addr === 'string') throw new Error('no port');
  return {
    endpoint: `http://127.0.0.1:${addr.port}`,
    recorded,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
