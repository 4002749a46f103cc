import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePolicyDocument } from '../../src/authz/policy-schema.js';

// docs/policies.md shows policies people will copy; each must be one Custos accepts.
const text = readFileSync(new URL('../../../../docs/policies.md', import.meta.url), 'utf8');
const examples = [...text.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1]!);

describe('docs/policies.md', () => {
  it('has examples', () => {
    expect(examples.length).toBeGreaterThanOrEqual(5);
  });

  it.each(examples.map((json, i) => [i, json] as const))(
    'example %i is a valid policy',
    (_i, json) => {
      expect(() => parsePolicyDocument(JSON.parse(json))).not.toThrow();
    },
  );
});
