/**
 * SigV4's canonical request (AWS's "Create a canonical request"), built as
 * one string straight from what the server received. It follows
 * @smithy/signature-v4 (the AWS SDK's signer) to the character, including
 * its quirks, so that whatever that signer signed verifies here; the
 * property test in test/aws-kms checks it against smithy over header sets,
 * paths, queries and bodies. Written out rather than called because
 * smithy's canonicalisation builds a request object, a header record, a
 * sorted key list and a query record per request, which was a third of the
 * door's own cost.
 */

/** What the canonical request covers; `headers` holds exactly the signed headers, lower-cased. */
export interface CanonicalParts {
  readonly method: string;
  /** The request target as received: path and query, still percent-encoded. */
  readonly url: string;
  /** The signed header names, sorted and without repeats (see sortedSignedHeaders). */
  readonly signedHeaders: readonly string[];
  readonly headers: Readonly<Record<string, string>>;
  readonly payloadHash: string;
}

export function canonicalRequest(parts: CanonicalParts): string {
  const q = parts.url.indexOf('?');
  const path = q === -1 ? parts.url : parts.url.slice(0, q);
  let text = `${parts.method}\n${canonicalPath(path)}\n${
    q === -1 ? '' : canonicalQuery(parts.url.slice(q + 1))
  }\n`;
  for (const name of parts.signedHeaders) {
    text += `${name}:${canonicalHeaderValue(parts.headers[name] ?? '')}\n`;
  }
  return `${text}\n${parts.signedHeaders.join(';')}\n${parts.payloadHash}`;
}

/**
 * The names of a `SignedHeaders=a;b;c` list as the signer orders them
 * (code-unit order, each once). A client sends few distinct lists, so they
 * are remembered; the bound keeps a client that varies them from growing it.
 */
const sortedLists = new Map<string, readonly string[]>();
const MAX_LISTS = 256;

export function sortedSignedHeaders(list: string): readonly string[] {
  let names = sortedLists.get(list);
  if (names === undefined) {
    names = [...new Set(list.split(';'))].sort();
    if (sortedLists.size >= MAX_LISTS) sortedLists.clear();
    sortedLists.set(list, names);
  }
  return names;
}

const NEEDS_FOLDING = /[\t\r\n]| {2}|^ | $/;

/** Runs of spaces and tabs become one space, line breaks a space, ends trimmed (as smithy). */
function canonicalHeaderValue(value: string): string {
  if (!NEEDS_FOLDING.test(value)) return value;
  return value
    .replace(/[\r\n]/g, ' ')
    .replace(/[ \t]+/g, ' ')
    .replace(/^ | $/g, '');
}

/** RFC 3986 escaping: encodeURIComponent leaves !'()* as they are. */
const escapeUri = (text: string): string =>
  encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );

/**
 * The path with empty and `.` segments dropped, `..` resolved, then escaped
 * once more (the received path is still encoded, so `%` becomes `%25`), `/`
 * kept. Every AWS KMS request has the path `/`.
 */
function canonicalPath(path: string): string {
  if (path === '/') return '/';
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const normalized = `${path.startsWith('/') ? '/' : ''}${segments.join('/')}${
    segments.length > 0 && path.endsWith('/') ? '/' : ''
  }`;
  return escapeUri(normalized).replace(/%2F/g, '/');
}

/**
 * Parameters decoded (as URLSearchParams decodes them) and escaped again,
 * sorted by name, a name's values sorted as `name=value` pairs;
 * X-Amz-Signature is left out. A `__proto__` parameter is left out too:
 * smithy keeps the query in a plain object, where that name does not stick,
 * so its signer never signed one.
 */
function canonicalQuery(search: string): string {
  const byName = new Map<string, string[]>();
  for (const [name, value] of new URLSearchParams(search)) {
    if (name === '__proto__' || name.toLowerCase() === 'x-amz-signature') continue;
    const escaped = escapeUri(name);
    const pair = `${escaped}=${escapeUri(value)}`;
    const pairs = byName.get(escaped);
    if (pairs === undefined) byName.set(escaped, [pair]);
    else pairs.push(pair);
  }
  return [...byName.keys()]
    .sort()
    .map((name) => (byName.get(name) ?? []).sort().join('&'))
    .join('&');
}
