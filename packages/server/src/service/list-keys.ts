import { KEY_STATES, type KeyState } from '../core/key.js';
import type { KeyFilter } from '../store/store.js';
import { authorize } from './authorize.js';
import type { RequestContext } from './context.js';
import { assertUnsealed } from './key-loader.js';
import { checkInteger, checkOneOf } from './validate.js';

export interface ListKeysInput {
  readonly state?: KeyState;
  readonly tagKey?: string;
  readonly tagValue?: string;
  readonly aliasPrefix?: string;
  readonly limit?: number;
  readonly cursor?: string;
}

export interface KeySummary {
  readonly keyId: string;
  readonly spec: string;
  readonly usage: string;
  readonly state: KeyState;
  readonly description: string;
}

export interface ListKeysOutput {
  readonly keys: KeySummary[];
  readonly nextCursor: string | null;
}

/** Lists keys in id order, one page at a time. */
export async function listKeys(ctx: RequestContext, input: ListKeysInput): Promise<ListKeysOutput> {
  assertUnsealed(ctx);
  authorize(ctx, 'kms:ListKeys');
  const limit = input.limit ?? ctx.kms.config.defaultPageSize;
  checkInteger('limit', limit, 1, 1000);
  if (input.state !== undefined) checkOneOf('state', input.state, KEY_STATES);
  const filter: KeyFilter = {
    ...(input.state !== undefined && { state: input.state }),
    ...(input.tagKey !== undefined && {
      tag: { key: input.tagKey, ...(input.tagValue !== undefined && { value: input.tagValue }) },
    }),
    ...(input.aliasPrefix !== undefined && { aliasPrefix: input.aliasPrefix }),
  };
  const page = await ctx.kms.store.listKeys(filter, {
    limit,
    ...(input.cursor !== undefined && { cursor: input.cursor }),
  });
  return {
    keys: page.items.map((k) => ({
      keyId: k.id,
      spec: k.spec,
      usage: k.usage,
      state: k.state,
      description: k.description,
    })),
    nextCursor: page.nextCursor,
  };
}
