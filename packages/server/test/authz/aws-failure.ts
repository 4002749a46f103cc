import { KMSClient } from '@aws-sdk/client-kms';

export interface AwsFailure {
  /** The AWS error `__type` (`OK` when the call succeeded). */
  readonly name: string;
  /** The message with the reference as named replaced by `<ref>`. */
  readonly message: string;
}

/** A KMSClient for a Custos server's AWS door, one attempt per call. */
export function awsClient(
  url: string,
  credentials: { accessKeyId: string; secretAccessKey: string },
): KMSClient {
  return new KMSClient({ endpoint: url, region: 'us-east-1', credentials, maxAttempts: 1 });
}

/** How an AWS SDK call ended, with `ref` masked so refusals on different keys compare equal. */
export async function awsFailure(call: Promise<unknown>, ref: string): Promise<AwsFailure> {
  try {
    await call;
    return { name: 'OK', message: '' };
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    return { name: error.name, message: error.message.replaceAll(ref, '<ref>') };
  }
}
