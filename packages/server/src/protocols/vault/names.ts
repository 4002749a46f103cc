import { InvalidInputError } from '../../core/errors.js';

/** Vault key names: what Custos alias names allow after the prefix. */
const NAME = /^[A-Za-z0-9_-]{1,200}$/;

/**
 * A Vault key `<name>` on mount `<mount>` is the Custos key with alias
 * `alias/vault/<mount>/<name>`: per mount, so two mounts never share a
 * name, and usable by that alias through every other door.
 *
 * @example
 * vaultAlias('transit', 'orders') // 'alias/vault/transit/orders'
 */
export function vaultAlias(mount: string, name: string): string {
  if (!NAME.test(name)) {
    throw new InvalidInputError('key names are 1–200 letters, digits, "_" or "-"');
  }
  return `${aliasPrefix(mount)}${name}`;
}

export function aliasPrefix(mount: string): string {
  return `alias/vault/${mount}/`;
}
