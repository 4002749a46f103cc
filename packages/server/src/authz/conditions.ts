import type { AccessRequest } from '../core/access.js';
import type { PolicyConditions } from '../core/identity.js';
import { addressMatcher } from './cidr.js';
import { type Matcher, wildcard } from './wildcard.js';

/** A statement's conditions, compiled once: true when the request satisfies all of them. */
export type ConditionCheck = (request: AccessRequest) => boolean;

const ALWAYS: ConditionCheck = () => true;

/**
 * Every condition given must hold (AND); a condition on a fact the request
 * does not have (tags of no key, a context never sent, an unknown address)
 * does not hold. That keeps a conditional allow from opening more than it
 * says; a conditional deny then does not apply, as in AWS IAM.
 */
export function compileConditions(conditions: PolicyConditions | undefined): ConditionCheck {
  if (conditions === undefined) return ALWAYS;
  const checks: ConditionCheck[] = [];
  if (conditions.tags !== undefined) {
    const wanted = compileMap(conditions.tags);
    checks.push((request) => mapMatches(wanted, request.tags));
  }
  if (conditions.encryptionContext !== undefined) {
    const wanted = compileMap(conditions.encryptionContext);
    checks.push((request) => mapMatches(wanted, request.encryptionContext));
  }
  if (conditions.sourceAddress !== undefined) {
    const inRange = addressMatcher(conditions.sourceAddress);
    checks.push((request) => request.sourceAddress !== undefined && inRange(request.sourceAddress));
  }
  if (conditions.requireReplayProtection === true) {
    checks.push((request) => request.replayProtected === true);
  }
  if (checks.length === 0) return ALWAYS;
  return (request) => checks.every((check) => check(request));
}

function compileMap(map: Readonly<Record<string, string>>): readonly [string, Matcher][] {
  return Object.entries(map).map(([key, pattern]) => [key, wildcard(pattern)]);
}

function mapMatches(
  wanted: readonly [string, Matcher][],
  actual: Readonly<Record<string, string>> | undefined,
): boolean {
  if (actual === undefined) return false;
  return wanted.every(([key, matches]) => {
    // Own properties only: a context key named `constructor` must not find Object's.
    const value = Object.hasOwn(actual, key) ? actual[key] : undefined;
    return value !== undefined && matches(value);
  });
}
