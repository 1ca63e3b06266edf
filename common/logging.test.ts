import { Writable } from 'node:stream';
import { createLogger, defaultLogLevel } from './logging.js';

function capture(): { lines: () => Record<string, unknown>[]; stream: Writable } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      chunks.push(String(chunk));
      cb();
    },
  });
  return {
    stream,
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe('createLogger', () => {
  test('writes JSON lines naming the component', () => {
    const out = capture();
    const log = createLogger({ component: 'apiserver', level: 'info', destination: out.stream });
    log.info({ verb: 'get' }, 'request served');
    log.debug('below the level');
    const [line] = out.lines();
    expect(out.lines()).toHaveLength(1);
    expect(line).toMatchObject({
      component: 'apiserver',
      verb: 'get',
      msg: 'request served',
      level: 30,
    });
    expect(typeof line!.time).toBe('string');
  });

  test('never writes credentials or Secret data', () => {
    const out = capture();
    const log = createLogger({ component: 'test', level: 'info', destination: out.stream });
    log.info(
      {
        req: { headers: { authorization: 'Bearer s3cr3t', cookie: 'c=1' } },
        user: { token: 'tok-123', name: 'bob' },
        object: { kind: 'Secret', data: { password: 'cGFzcw==' } },
      },
      'audit',
    );
    const text = JSON.stringify(out.lines());
    expect(text).not.toContain('s3cr3t');
    expect(text).not.toContain('tok-123');
    expect(text).not.toContain('cGFzcw==');
    expect(text).toContain('bob');
    expect(text).toContain('[REDACTED]');
  });

  test('the level comes from KUBERX_LOG_LEVEL, else silent under jest, else info', () => {
    expect(defaultLogLevel({ KUBERX_LOG_LEVEL: 'debug' })).toBe('debug');
    expect(defaultLogLevel({ JEST_WORKER_ID: '1' })).toBe('silent');
    expect(defaultLogLevel({})).toBe('info');
  });
});
