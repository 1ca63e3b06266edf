/**
 * The path and query of a request target (`req.url`), exactly as
 * `new URL(target, 'http://localhost')` gives them (`pathname`, `searchParams`), but without the
 * WHATWG URL parser for the shape nearly every API request has — an absolute path of plain
 * characters and a query of printable ASCII: that parser is a measurable share of a small
 * request's cost. Any other target (percent escapes or dot segments in the path, `#`, `//`,
 * spaces, non-ASCII) goes through `URL`, so the results never differ.
 */

export interface RequestTarget {
  pathname: string;
  query: URLSearchParams;
  /** The full URL (built on first use). */
  readonly url: URL;
}

/** Path characters the URL parser leaves as they are (no `%`, no `\`, no `?`/`#`). */
const plainPath = /^\/[A-Za-z0-9\-._~!$&'()*+,;=:@/]*$/;
/** `.` or `..` as a whole segment, which the URL parser resolves. */
const dotSegment = /\/\.\.?(?:\/|$)/;
/** Printable ASCII without `#`. */
const plainQuery = /^[\x21-\x22\x24-\x7e]*$/;

export function parseRequestTarget(raw: string): RequestTarget {
  const q = raw.indexOf('?');
  const path = q < 0 ? raw : raw.slice(0, q);
  const search = q < 0 ? '' : raw.slice(q + 1);
  if (
    plainPath.test(path) &&
    !path.startsWith('//') &&
    !dotSegment.test(path) &&
    plainQuery.test(search)
  ) {
    let url: URL | undefined;
    return {
      pathname: path,
      query: new URLSearchParams(search),
      get url() {
        return (url ??= new URL(raw, 'http://localhost'));
      },
    };
  }
  const url = new URL(raw, 'http://localhost');
  return { pathname: url.pathname, query: url.searchParams, url };
}
