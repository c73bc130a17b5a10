// FakePriceList: a FAKE AWS Price List Query API, on loopback. No emulator serves the Price List (moto does not), so
// `--live-prices` is tested by running the real SDK client (@aws-sdk/client-pricing) against this HTTP server. It
// speaks the AWS JSON 1.1 protocol the client uses (POST /, `X-Amz-Target: AWSPriceListService.GetProducts`), applies
// TERM_MATCH filters, pages with NextToken, and answers with the entries in test/fixtures/pricing/ (see its README
// for where they come from). It can also refuse (400 AccessDeniedException), stall (accept, never answer) and leave
// a product out.
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import path from 'node:path';

const FIXTURES = path.join(import.meta.dirname, '..', 'fixtures', 'pricing');

interface Entry {
  serviceCode: string;
  product: { productFamily?: string; sku: string; attributes: Record<string, string> };
}

export interface SeenRequest {
  target: string;
  ServiceCode: string;
  Filters: { Type: string; Field: string; Value: string }[];
  NextToken?: string;
  MaxResults?: number;
  FormatVersion?: string;
}

export interface FakePriceList {
  endpoint: string;
  /** Every GetProducts the fake was sent, in order. */
  requests: SeenRequest[];
  /** Entries per page at most (MaxResults lowers it further); small, so the client's paging is exercised. */
  pageSize: number;
  /** From now on every call is refused: 400 AccessDeniedException. */
  deny(): void;
  /** From now on calls are accepted and never answered. */
  stall(): void;
  /** Leaves out every product whose usagetype ends with this. */
  omit(usagetypeSuffix: string): void;
  close(): Promise<void>;
}

export function fixtureEntries(): Entry[] {
  return readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.json'))
    .flatMap((f) => (JSON.parse(readFileSync(path.join(FIXTURES, f), 'utf8')) as { PriceList: Entry[] }).PriceList);
}

export async function startFakePriceList(entries: Entry[] = fixtureEntries()): Promise<FakePriceList> {
  let mode: 'answer' | 'deny' | 'stall' = 'answer';
  const omitted: string[] = [];
  const sockets = new Set<net.Socket>();
  const fake: Omit<FakePriceList, 'endpoint' | 'close'> = {
    requests: [],
    pageSize: 2,
    deny: () => void (mode = 'deny'),
    stall: () => void (mode = 'stall'),
    omit: (s) => void omitted.push(s),
  };
  const send = (res: http.ServerResponse, status: number, body: unknown) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'content-length': Buffer.byteLength(text), 'x-amzn-requestid': 'fake-price-list' });
    res.end(text);
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (mode === 'stall') return; // the socket stays open; the client's bounds must end the wait
      const target = String(req.headers['x-amz-target'] ?? '');
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Omit<SeenRequest, 'target'>;
      fake.requests.push({ target, ...body, Filters: body.Filters ?? [] });
      if (mode === 'deny') {
        return send(res, 400, { __type: 'AccessDeniedException', Message: 'User: arn:aws:iam::123456789012:user/dev is not authorized to perform: pricing:GetProducts' });
      }
      if (req.method !== 'POST' || target !== 'AWSPriceListService.GetProducts') {
        return send(res, 400, { __type: 'UnknownOperationException', Message: `FakePriceList serves GetProducts only, not ${target}` });
      }
      const field = (e: Entry, name: string) => (name === 'productFamily' ? e.product.productFamily : e.product.attributes[name]);
      const matching = entries.filter(
        (e) =>
          e.serviceCode === body.ServiceCode &&
          (body.Filters ?? []).every((f) => f.Type === 'TERM_MATCH' && field(e, f.Field) === f.Value) &&
          !omitted.some((s) => (e.product.attributes.usagetype ?? '').endsWith(s)),
      );
      const start = body.NextToken ? Number(Buffer.from(body.NextToken, 'base64url').toString()) : 0;
      const size = Math.min(fake.pageSize, body.MaxResults ?? 100);
      const page = matching.slice(start, start + size);
      const next = start + size < matching.length ? Buffer.from(String(start + size)).toString('base64url') : undefined;
      send(res, 200, { FormatVersion: 'aws_v1', PriceList: page.map((e) => JSON.stringify(e)), ...(next ? { NextToken: next } : {}) });
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return Object.assign(fake, {
    endpoint: `http://127.0.0.1:${port}`,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}
