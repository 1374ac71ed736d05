export { KEY_ALGORITHM, KeyStore, KeyStoreError } from './keystore.js';
export type { KeyStoreOptions, PublicJwk, SigningKey, Sm2PublicKeyJwk, Sm2SigningKey } from './keystore.js';
export { KeyLifecycleError, KeyMismatchError, registerKey, registerKeys, revokeKey, rotateKey } from './registration.js';
export type { RegistrationOutcome, RotatedKey, RotationAlgorithm } from './registration.js';
