/**
 * Policy patterns: `*` stands for any run of characters (none included);
 * every other character matches itself, case-sensitively. So `kms:Generate*`
 * matches `kms:GenerateDataKey`, and `alias/app-*` never matches anything
 * that does not start with `alias/app-`.
 */
export type Matcher = (value: string) => boolean;

/** Compiles one pattern to a predicate; the common shapes avoid a RegExp. */
export function wildcard(pattern: string): Matcher {
  const star = pattern.indexOf('*');
  if (star === -1) return (value) => value === pattern;
  if (pattern === '*') return () => true;
  if (star === pattern.length - 1) {
    const prefix = pattern.slice(0, -1);
    return (value) => value.startsWith(prefix);
  }
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, '\\$&'))
    .join('.*');
  // `s` so that `.` also spans newlines: a DN or context value may hold one.
  const re = new RegExp(`^${source}$`, 's');
  return (value) => re.test(value);
}

/** A predicate true when any of the patterns matches. */
export function anyOf(patterns: readonly string[]): Matcher {
  const matchers = patterns.map(wildcard);
  if (matchers.length === 1 && matchers[0] !== undefined) return matchers[0];
  return (value) => matchers.some((m) => m(value));
}
