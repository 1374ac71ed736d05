import { join } from 'node:path';

/**
 * Where an organisation's crypto material lies, in cryptogen's layout (so everything that
 * reads the single-host network's material reads the CA-issued material the same way):
 * `msp/`, `tlsca/`, `peers/<node>/{msp,tls}`, `users/<user>@<domain>/{msp,tls}`.
 */
export interface OrgLayout {
  /** The organisation's own MSP folder (the one written into the channel configuration). */
  orgMsp: string;
  /** The TLS CA certificate. */
  tlsCaCert: string;
  /** A node's folder, by first label (`peer0`, `orderer0`, `ccaas0`). */
  node(label: string): string;
  /** A user's folder (`Admin`, `User1`). */
  user(name: string): string;
}

/** The layout of the organisation of `domain` under `orgDir`. */
export function orgLayout(orgDir: string, domain: string): OrgLayout {
  return {
    orgMsp: join(orgDir, 'msp'),
    tlsCaCert: join(orgDir, 'tlsca', `tlsca.${domain}-cert.pem`),
    node: (label) => join(orgDir, 'peers', `${label}.${domain}`),
    user: (name) => join(orgDir, 'users', `${name}@${domain}`),
  };
}

/** The file names inside an MSP folder, as cryptogen writes them. */
export const mspFiles = {
  /** The signing certificate of identity `name` (`peer0.<domain>`, `Admin@<domain>`). */
  signcert: (name: string) => join('signcerts', `${name}-cert.pem`),
  key: join('keystore', 'priv_sk'),
  cacert: (domain: string) => join('cacerts', `ca.${domain}-cert.pem`),
  tlscacert: (domain: string) => join('tlscacerts', `tlsca.${domain}-cert.pem`),
  config: 'config.yaml',
} as const;
