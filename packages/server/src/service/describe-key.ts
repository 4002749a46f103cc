import { authorize } from './authorize.js';
import type { RequestContext } from './context.js';
import { loadKey } from './key-loader.js';
import { type KeyView, keyView } from './key-view.js';

export interface DescribeKeyInput {
  readonly keyId: string;
}

/** A key's metadata, versions and aliases; never material. */
export async function describeKey(ctx: RequestContext, input: DescribeKeyInput): Promise<KeyView> {
  const loaded = await loadKey(ctx, input.keyId);
  authorize(ctx, 'kms:DescribeKey', loaded);
  return keyView(ctx, loaded);
}
