export {
  createSecretSealer,
  mask,
  SECRET_MASK,
  SecretKeyMissingError,
  type SecretSealer,
} from './sealing.ts';
export {
  fixedKeyring,
  KEY_BYTES,
  type Keyring,
  parseKey,
  parseKeys,
  type SecretKey,
  secretKeyOf,
} from './keyring.ts';
export { type KeyringFile, openKeyringFile } from './keyring-file.ts';
export { rewriteWhere } from './spec-walk.ts';
