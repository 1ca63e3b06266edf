import { parseTokenFile } from './tokenfile.js';

describe('the static token file (upstream CSV format)', () => {
  test('token, user, uid and quoted groups', () => {
    const tokens = parseTokenFile('t1,alice,1001,"dev,ops"\nt2,bob,1002\n');
    expect(tokens.get('t1')).toEqual({ username: 'alice', uid: '1001', groups: ['dev', 'ops'] });
    expect(tokens.get('t2')).toEqual({ username: 'bob', uid: '1002', groups: [] });
  });

  test('an empty token is skipped and a later duplicate wins', () => {
    const tokens = parseTokenFile(',nobody,1\nt,first,1\nt,second,2\n');
    expect([...tokens.keys()]).toEqual(['t']);
    expect(tokens.get('t')!.username).toBe('second');
  });

  test('CRLF line ends and escaped quotes are read as CSV', () => {
    const tokens = parseTokenFile('t,"a ""quoted"" user",9\r\n');
    expect(tokens.get('t')!.username).toBe('a "quoted" user');
  });

  test('a record with fewer than three columns is refused with upstream’s message', () => {
    expect(() => parseTokenFile('t,alice\n', '/etc/tokens.csv')).toThrow(
      "token file '/etc/tokens.csv' must have at least 3 columns (token, user name, user uid), found 2",
    );
  });
});
