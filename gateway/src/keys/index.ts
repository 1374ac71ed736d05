export { KEY_ALGORITHM, KeyStore, KeyStoreError } from './keystore.js';
export type { KeyStoreOptions, PublicJwk, SigningKey, Sm2PublicKeyJwk, Sm2SigningKey } from './keystore.js';
export { KeyMismatchError, registerKey, registerKeys, rotateKey } from './registration.js';
export type { RegistrationOutcome } from './registration.js';
