import { SecretBytes } from '@custos/crypto';
import { authorize } from './authorize.js';
import type { RequestContext } from './context.js';
import { assertUnsealed } from './key-loader.js';
import { checkInteger } from './validate.js';

export interface GenerateRandomInput {
  readonly numberOfBytes: number;
}

/** 1–1024 bytes from the system CSPRNG; the caller zeroes them once rendered. */
export function generateRandom(
  ctx: RequestContext,
  input: GenerateRandomInput,
): Promise<SecretBytes> {
  // Inside the executor, so that a refusal rejects the promise, as every other operation does.
  return new Promise((resolve) => {
    checkInteger('numberOfBytes', input.numberOfBytes, 1, 1024);
    assertUnsealed(ctx);
    authorize(ctx, 'kms:GenerateRandom');
    resolve(SecretBytes.random(input.numberOfBytes));
  });
}
