/** Argument helpers shared by the client commands; every misuse is a UsageError (exit 2). */
import { UsageError } from '../command.js';

/** `k=v` pairs (from repeated `--context` or `--tag`) as a map; duplicate or empty keys are refused. */
export function keyValues(
  flag: string,
  pairs: readonly string[] | undefined,
): Record<string, string> | undefined {
  if (pairs === undefined || pairs.length === 0) return undefined;
  const map: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new UsageError(`${flag} takes key=value, not '${pair}'`);
    const key = pair.slice(0, at);
    if (Object.hasOwn(map, key)) throw new UsageError(`${flag} gives '${key}' twice`);
    map[key] = pair.slice(at + 1);
  }
  return map;
}

/** A whole number in [min, max], from a flag or argument. */
export function integer(name: string, text: string | undefined, min: number, max: number) {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw new UsageError(`${name} must be a whole number, not '${text}'`);
  const value = Number(text);
  if (value < min || value > max) {
    throw new UsageError(`${name} must be between ${min} and ${max}`);
  }
  return value;
}

/** One of the allowed words (case-insensitive on input, canonical on output). */
export function oneOf<T extends string>(
  name: string,
  text: string | undefined,
  allowed: readonly T[],
): T | undefined {
  if (text === undefined) return undefined;
  const found = allowed.find((word) => word.toLowerCase() === text.toLowerCase());
  if (found === undefined) throw new UsageError(`${name} must be one of ${allowed.join(', ')}`);
  return found;
}

/** A required flag's value. */
export function required<T>(name: string, value: T | undefined): T {
  if (value === undefined || value === '') throw new UsageError(`${name} is required`);
  return value;
}

/** `/api/v1/keys/{key}` for a key id or alias (the alias's slash encoded, as the API wants). */
export function keyPath(key: string, suffix = ''): string {
  return `/api/v1/keys/${encodeURIComponent(key)}${suffix}`;
}

/** Alias names always carry the `alias/` prefix; `custos alias create app …` means `alias/app`. */
export function aliasName(name: string): string {
  return name.startsWith('alias/') ? name : `alias/${name}`;
}
