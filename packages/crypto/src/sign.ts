import { type KeyObject, constants, sign as nodeSign, verify as nodeVerify } from 'node:crypto';
import {
  ecdsaSignDigest,
  ecdsaVerifyDigest,
  rsaSignDigest,
  rsaVerifyDigest,
} from './digest-sign.js';
import { CryptoError } from './errors.js';
import {
  type KeySpec,
  type SigningAlgorithm,
  hashLength,
  nodeHashName,
  signingHash,
} from './key-spec.js';
import { ecFieldBytes, ecdsaDerToP1363, ecdsaP1363ToDer } from './signature-encoding.js';

/** RAW: the message itself is signed; DIGEST: the caller already hashed it. */
export type MessageType = 'RAW' | 'DIGEST';
/** ECDSA signature encoding: ASN.1 DER (as AWS KMS) or IEEE-P1363 r‖s (as JOSE). */
export type EcdsaEncoding = 'der' | 'ieee-p1363';

export interface SignRequest {
  readonly spec: KeySpec;
  readonly algorithm: SigningAlgorithm;
  readonly messageType: MessageType;
  readonly message: Uint8Array;
  readonly encoding?: EcdsaEncoding;
}

function checkRequest(req: SignRequest): void {
  if (!req.spec.signingAlgorithms.includes(req.algorithm)) {
    throw new CryptoError('UNSUPPORTED', `${req.algorithm} is not valid for ${req.spec.name}`);
  }
  if (req.messageType === 'DIGEST') {
    if (req.spec.family === 'ed25519') {
      throw new CryptoError('UNSUPPORTED', 'Ed25519 signs messages, not digests');
    }
    if (req.message.length !== hashLength(signingHash(req.algorithm))) {
      throw new CryptoError('INVALID_INPUT', 'digest length does not match the signing algorithm');
    }
  }
}

function rsaPadding(algorithm: SigningAlgorithm): 'pss' | 'pkcs1' {
  return algorithm.startsWith('RSASSA_PSS') ? 'pss' : 'pkcs1';
}

function nodeOptions(req: SignRequest, key: KeyObject) {
  if (req.spec.family === 'rsa' && rsaPadding(req.algorithm) === 'pss') {
    return {
      key,
      padding: constants.RSA_PKCS1_PSS_PADDING,
      saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
    };
  }
  if (req.spec.family === 'ec') return { key, dsaEncoding: req.encoding ?? 'der' } as const;
  return { key };
}

/**
 * Signs a message or a precomputed digest with a key of the given spec.
 *
 * @example
 * sign(keySpec('ECC_NIST_P256'), privateKey, { algorithm: 'ECDSA_SHA_256', messageType: 'RAW', message })
 */
export function sign(req: SignRequest, privateKey: KeyObject): Buffer {
  checkRequest(req);
  const hash = signingHash(req.algorithm);
  if (req.messageType === 'RAW') {
    const md = req.spec.family === 'ed25519' ? null : nodeHashName(hash);
    return nodeSign(md, req.message, nodeOptions(req, privateKey));
  }
  if (req.spec.family === 'rsa') {
    return rsaSignDigest(privateKey, hash, req.message, rsaPadding(req.algorithm));
  }
  const p1363 = ecdsaSignDigest(privateKey, req.message);
  return req.encoding === 'ieee-p1363' ? p1363 : ecdsaP1363ToDer(p1363);
}

/** Verifies a signature; malformed signatures are simply invalid (false). */
export function verify(req: SignRequest, publicKey: KeyObject, signature: Uint8Array): boolean {
  checkRequest(req);
  const hash = signingHash(req.algorithm);
  try {
    if (req.messageType === 'RAW') {
      const md = req.spec.family === 'ed25519' ? null : nodeHashName(hash);
      return nodeVerify(md, req.message, nodeOptions(req, publicKey), signature);
    }
    if (req.spec.family === 'rsa') {
      return rsaVerifyDigest(publicKey, hash, req.message, signature, rsaPadding(req.algorithm));
    }
    const p1363 =
      req.encoding === 'ieee-p1363'
        ? signature
        : ecdsaDerToP1363(signature, ecFieldBytes(req.spec.curve ?? 'P-256'));
    return p1363 !== undefined && ecdsaVerifyDigest(publicKey, req.message, p1363);
  } catch {
    return false;
  }
}
