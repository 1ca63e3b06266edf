import { InProcessServer } from './inprocess.js';

const readAll = async (body: NodeJS.ReadableStream) => {
  let s = '';
  for await (const chunk of body) s += String(chunk);
  return s;
};

function server() {
  const seen: { method: string; url: string; auth: string; body: string }[] = [];
  const s = new InProcessServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += String(d)));
    req.on('end', () => {
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        auth: req.headers.authorization ?? '',
        body,
      });
      if (req.url === '/stream') {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.write('{"n":1}\n');
        setImmediate(() => res.end('{"n":2}\n'));
        return;
      }
      res.writeHead(201, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ echo: body }));
    });
  });
  return { s, seen };
}

test('a request reaches the handler with the token and the body, and the answer comes back', async () => {
  const { s, seen } = server();
  const t = s.transport('secret');
  const res = await t.request({ method: 'POST', path: '/api/v1/x?y=1', body: '{"a":1}' });
  expect(res.status).toBe(201);
  expect(JSON.parse(await readAll(res.body))).toEqual({ echo: '{"a":1}' });
  expect(seen).toEqual([
    { method: 'POST', url: '/api/v1/x?y=1', auth: 'Bearer secret', body: '{"a":1}' },
  ]);
  s.close();
});

test("a request's own Authorization header wins over the transport's token", async () => {
  const { s, seen } = server();
  const res = await s.transport('base').request({
    method: 'GET',
    path: '/',
    headers: { Authorization: 'Bearer node-1' },
  });
  await readAll(res.body);
  expect(seen[0]!.auth).toBe('Bearer node-1');
  s.close();
});

test('a streamed answer arrives chunk by chunk', async () => {
  const { s } = server();
  const res = await s.transport('t').request({ method: 'GET', path: '/stream' });
  expect(await readAll(res.body)).toBe('{"n":1}\n{"n":2}\n');
  s.close();
});

test('many sequential requests reuse pooled connections', async () => {
  let connections = 0;
  const s = new InProcessServer((_req, res) => res.end('ok'));
  (s as unknown as { server: { on(e: string, f: () => void): void } }).server.on(
    'connection',
    () => connections++,
  );
  const t = s.transport('t');
  for (let i = 0; i < 20; i++) await readAll((await t.request({ method: 'GET', path: '/' })).body);
  expect(connections).toBe(1);
  s.close();
});

test('an aborted request rejects with the signal reason', async () => {
  const s = new InProcessServer(() => {
    /* never answers */
  });
  const ac = new AbortController();
  const pending = s.transport('t').request({ method: 'GET', path: '/', signal: ac.signal });
  ac.abort(new Error('gave up'));
  await expect(pending).rejects.toThrow('gave up');
  s.close();
});

test('after close, requests fail instead of hanging', async () => {
  const { s } = server();
  s.close();
  await expect(s.transport('t').request({ method: 'GET', path: '/' })).rejects.toThrow(/closed/);
});
