/**
 * Loading of vendored known-answer vectors (test/vectors/**) with narrow, checked shapes.
 *
 * Wycheproof files follow the schemas in https://github.com/C2SP/wycheproof/tree/main/schemas;
 * only the fields the tests read are checked and typed here.
 */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { CryptoError } from '../src/index.js';
import type { CryptoErrorCode } from '../src/index.js';

export type Json = Readonly<Record<string, unknown>>;

export type WycheproofResult = 'valid' | 'invalid' | 'acceptable';

export interface WycheproofTest {
  readonly tcId: number;
  readonly comment: string;
  readonly flags: readonly string[];
  readonly result: WycheproofResult;
  /** The whole test object, for fields read with `str`/`num`. */
  readonly raw: Json;
}

export interface WycheproofGroup {
  readonly raw: Json;
  readonly tests: readonly WycheproofTest[];
}

export interface WycheproofSuite {
  readonly file: string;
  readonly algorithm: string;
  readonly schema: string;
  readonly numberOfTests: number;
  readonly groups: readonly WycheproofGroup[];
}

function isJson(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fail(where: string, what: string): never {
  throw new TypeError(`${where}: ${what}`);
}

/** A required string field. */
export function str(obj: Json, key: string, where = 'vector'): string {
  const value = obj[key];
  return typeof value === 'string' ? value : fail(where, `"${key}" is not a string`);
}

/** A required number field. */
export function num(obj: Json, key: string, where = 'vector'): number {
  const value = obj[key];
  return typeof value === 'number' ? value : fail(where, `"${key}" is not a number`);
}

/** An optional number field. */
export function optNum(obj: Json, key: string, where = 'vector'): number | undefined {
  return obj[key] === undefined ? undefined : num(obj, key, where);
}

/** A required object field. */
export function obj(parent: Json, key: string, where = 'vector'): Json {
  const value = parent[key];
  return isJson(value) ? value : fail(where, `"${key}" is not an object`);
}

/** A required array-of-objects field. */
export function objArray(parent: Json, key: string, where = 'vector'): readonly Json[] {
  const value = parent[key];
  if (!Array.isArray(value)) fail(where, `"${key}" is not an array`);
  return value.map((item: unknown, i) =>
    isJson(item) ? item : fail(where, `"${key}[${i}]" is not an object`),
  );
}

function strArray(parent: Json, key: string, where: string): readonly string[] {
  const value = parent[key];
  if (value === undefined) return [];
  if (!Array.isArray(value)) fail(where, `"${key}" is not an array`);
  return value.map((item: unknown, i) =>
    typeof item === 'string' ? item : fail(where, `"${key}[${i}]" is not a string`),
  );
}

/** Hex to bytes; rejects odd lengths and non-hex characters. */
export function hex(text: string): Buffer {
  if (text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(text)) {
    throw new TypeError(`not a hex string: ${text.slice(0, 32)}`);
  }
  return Buffer.from(text, 'hex');
}

/** Parses a JSON file under test/vectors/ (path relative to that directory). */
export function loadVectorJson(relativePath: string): Json {
  const text = readFileSync(new URL(`./vectors/${relativePath}`, import.meta.url), 'utf8');
  const data: unknown = JSON.parse(text);
  return isJson(data) ? data : fail(relativePath, 'top level is not an object');
}

function parseResult(value: string, where: string): WycheproofResult {
  if (value === 'valid' || value === 'invalid' || value === 'acceptable') return value;
  return fail(where, `unknown result "${value}"`);
}

/** Loads test/vectors/wycheproof/<file> and checks the common Wycheproof envelope. */
export function loadWycheproof(file: string, expectedSchema: string): WycheproofSuite {
  const data = loadVectorJson(`wycheproof/${file}`);
  const schema = str(data, 'schema', file);
  if (schema !== expectedSchema) fail(file, `schema is ${schema}, expected ${expectedSchema}`);
  const groups = objArray(data, 'testGroups', file).map((group, gi) => {
    const where = `${file} testGroups[${gi}]`;
    const tests = objArray(group, 'tests', where).map((test): WycheproofTest => {
      const tcId = num(test, 'tcId', where);
      const at = `${file} tcId ${tcId}`;
      return {
        tcId,
        comment: str(test, 'comment', at),
        flags: strArray(test, 'flags', at),
        result: parseResult(str(test, 'result', at), at),
        raw: test,
      };
    });
    return { raw: group, tests };
  });
  return {
    file,
    algorithm: str(data, 'algorithm', file),
    schema,
    numberOfTests: num(data, 'numberOfTests', file),
    groups,
  };
}

/** Every test of a suite with its group. */
export function allTests(
  suite: WycheproofSuite,
): readonly { readonly group: WycheproofGroup; readonly test: WycheproofTest }[] {
  return suite.groups.flatMap((group) => group.tests.map((test) => ({ group, test })));
}

/** A short, stable test title. */
export function title(test: WycheproofTest): string {
  const flags = test.flags.length > 0 ? ` [${test.flags.join(',')}]` : '';
  const comment = test.comment === '' ? '' : ` ${test.comment}`;
  return `tcId ${test.tcId} ${test.result}${flags}${comment}`;
}

/** Asserts that `run` throws a CryptoError with the given code. */
export function expectCryptoError(code: CryptoErrorCode, run: () => unknown): void {
  let thrown: unknown;
  try {
    run();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(CryptoError);
  expect(thrown instanceof CryptoError ? thrown.code : undefined).toBe(code);
}
