export type { Seal, SealDescription, SealType } from './seal.js';
export { DevFileSeal } from './dev-file-seal.js';
export { PassphraseSeal } from './passphrase-seal.js';
export type { PassphraseSealOptions } from './passphrase-seal.js';
export type { ScryptParams } from './scrypt-blob.js';
export { Keyring } from './keyring.js';
export type { KeyringOptions } from './keyring.js';
