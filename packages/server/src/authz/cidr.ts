import { BlockList, isIP } from 'node:net';

/**
 * Source-address conditions: CIDR blocks (`10.0.0.0/8`, `2001:db8::/32`) or
 * single addresses. node:net's BlockList does the matching, and matches an
 * IPv4 block against IPv4-mapped IPv6 addresses (`::ffff:10.1.2.3`) too, as
 * a dual-stack listener reports IPv4 callers.
 */
export function parseCidr(
  text: string,
): { address: string; prefix: number; family: 4 | 6 } | undefined {
  const slash = text.indexOf('/');
  const address = slash === -1 ? text : text.slice(0, slash);
  const family = isIP(address);
  if (family !== 4 && family !== 6) return undefined;
  const max = family === 4 ? 32 : 128;
  if (slash === -1) return { address, prefix: max, family };
  const bits = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(bits)) return undefined;
  const prefix = Number(bits);
  return prefix <= max ? { address, prefix, family } : undefined;
}

export function isCidr(text: string): boolean {
  return parseCidr(text) !== undefined;
}

/** A predicate true for addresses inside any of the blocks; throws TypeError on a malformed block. */
export function addressMatcher(blocks: readonly string[]): (address: string) => boolean {
  const list = new BlockList();
  for (const block of blocks) {
    const parsed = parseCidr(block);
    if (parsed === undefined) throw new TypeError(`not a CIDR block: ${block}`);
    list.addSubnet(parsed.address, parsed.prefix, parsed.family === 4 ? 'ipv4' : 'ipv6');
  }
  return (address) => {
    const family = isIP(address);
    if (family === 0) return false;
    return list.check(address, family === 4 ? 'ipv4' : 'ipv6');
  };
}
