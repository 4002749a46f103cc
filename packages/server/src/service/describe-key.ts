import { loadAuthorizedKey } from './authorized-key.js';
import type { RequestContext } from './context.js';
import { type KeyView, keyView } from './key-view.js';

export interface DescribeKeyInput {
  readonly keyId: string;
}

/** A key's metadata, versions and aliases; never material. */
export async function describeKey(ctx: RequestContext, input: DescribeKeyInput): Promise<KeyView> {
  const loaded = await loadAuthorizedKey(ctx, input.keyId, 'kms:DescribeKey');
  return keyView(ctx, loaded);
}
