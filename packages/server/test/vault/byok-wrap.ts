import {
  constants,
  createCipheriv,
  createDecipheriv,
  publicEncrypt,
  randomBytes,
} from 'node:crypto';

/**
 * BYOK wrapping as Vault's docs describe it ("Bring your own key", transit
 * import): a fresh AES-256 key RSA-OAEP-encrypted to the wrapping key (MGF1
 * with the same hash, no label), then the target key wrapped under it with
 * AES-KWP (RFC 5649), the two concatenated and base64-encoded.
 */
export function wrapForImport(target: Buffer, pem: string, hash = 'sha256'): string {
  const ephemeral = randomBytes(32);
  const wrappedAes = publicEncrypt(
    { key: pem, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: hash },
    ephemeral,
  );
  const kwp = createCipheriv('id-aes256-wrap-pad', ephemeral, Buffer.from('a65959a6', 'hex'));
  const wrappedTarget = Buffer.concat([kwp.update(target), kwp.final()]);
  return Buffer.concat([wrappedAes, wrappedTarget]).toString('base64');
}

/** Opens a Custos v1 blob (docs/formats.md) with a key the test holds. */
export function openLocally(key: Buffer, ciphertext: unknown): string {
  const blob = Buffer.from(String(ciphertext).replace(/^vault:v\d+:/, ''), 'base64');
  const decipher = createDecipheriv('aes-256-gcm', key, blob.subarray(22, 34));
  decipher.setAAD(Buffer.concat([blob.subarray(0, 34), Buffer.from([0, 0])]));
  decipher.setAuthTag(blob.subarray(blob.length - 16));
  return Buffer.concat([
    decipher.update(blob.subarray(34, blob.length - 16)),
    decipher.final(),
  ]).toString();
}
