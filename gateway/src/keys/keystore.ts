import { mkdir, mkdtemp, open as openFile, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import { KEY_USES, SM2SM3_ALGORITHM, generateSm2PrivateJwk, sm2PublicJwk, type CityId, type KeyUse, type Sm2PrivateJwk } from '@jcc/domain';

/** The JWS algorithm of every key the gateways generate (Ed25519). */
export const KEY_ALGORITHM = 'EdDSA';

/** A public JWK as registered on the ledger: `kty`, `crv`, `x` and `kid`, nothing private. */
export interface PublicJwk {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
  kid: string;
}

/** A signing key of this gateway. */
export interface SigningKey {
  kid: string;
  use: KeyUse;
  /** RFC 3339 time the key was generated; registered as its `validFrom`. */
  createdAt: string;
  privateKey: CryptoKey;
  publicJwk: PublicJwk;
}

/** The public JWK of an SM2 document key as registered: `kty` EC, `crv` SM2, `x`, `y`, `kid`, `alg` SM2SM3. */
export interface Sm2PublicKeyJwk {
  kty: 'EC';
  crv: 'SM2';
  x: string;
  y: string;
  kid: string;
  alg: typeof SM2SM3_ALGORITHM;
}

/** An SM2 document key of this gateway (national algorithms, GB/T 32918). */
export interface Sm2SigningKey {
  kid: string;
  use: 'document';
  /** RFC 3339 time the key was generated; registered as its `validFrom`. */
  createdAt: string;
  privateJwk: Sm2PrivateJwk;
  publicJwk: Sm2PublicKeyJwk;
}

/** What {@link KeyStore.open} is asked for besides the Ed25519 keys. */
export interface KeyStoreOptions {
  /** Keep an SM2 document key too (generated on first open), for the `ed25519+sm2` and `sm2` suites. */
  sm2?: boolean;
}

interface KeyFile {
  kid: string;
  use: KeyUse;
  createdAt: string;
  jwk: JWK;
}

/** The current kid per use; `documentSm2` once an SM2 document key exists. */
type CurrentFile = Record<KeyUse, string> & { documentSm2?: string };

/** Raised when the key folder holds something unusable. */
export class KeyStoreError extends Error {
  override readonly name = 'KeyStoreError';
}

/**
 * The gateway's Ed25519 keys: one current key per use (`document` signs
 * documents, `gateway` signs tokens), plus every earlier key, which stays so
 * that old documents and tokens can still be checked. Kept as JWK files in
 * `<storeDir>/keys/` (mode 0600, development material, never committed).
 * The first key set appears at once: it is written to a staging folder and
 * renamed to `keys/`, so processes opening an empty store together all end
 * up with the one set whose rename won (see {@link KeyStore.open}).
 */
export class KeyStore {
  readonly city: CityId;
  readonly #dir: string;
  readonly #keys = new Map<string, SigningKey>();
  readonly #sm2Keys = new Map<string, Sm2SigningKey>();
  #current: CurrentFile;
  /** The key rotation under way, if any: signing waits for it (see {@link KeyStore.settled}). */
  #rotation: Promise<unknown> | undefined;

  private constructor(city: CityId, dir: string, keys: Array<SigningKey | Sm2SigningKey>, current: CurrentFile) {
    this.city = city;
    this.#dir = dir;
    for (const key of keys) {
      if ('privateJwk' in key) this.#sm2Keys.set(key.kid, key);
      else this.#keys.set(key.kid, key);
    }
    this.#current = current;
  }

  /**
   * Loads the keys in `<storeDir>/keys`, generating the first ones when there
   * are none, and with `options.sm2` an SM2 document key when there is none.
   * Concurrent first opens (other processes too) agree on one key set: each
   * writes a complete set to a staging folder and renames it to `keys/`; one
   * rename wins, the others find `keys/` taken and load that set.
   *
   * @throws KeyStoreError when `keys/` holds files but no `current.json`.
   */
  static async open(storeDir: string, city: CityId, now: () => number = Date.now, options: KeyStoreOptions = {}): Promise<KeyStore> {
    const dir = join(storeDir, 'keys');
    await mkdir(storeDir, { recursive: true });
    let current = await readCurrent(dir);
    if (!current) {
      await createKeySet(storeDir, dir, city, now(), options);
      current = await readCurrent(dir);
      if (!current) throw new KeyStoreError(`${dir} holds files but no current.json; move them away to generate new keys`);
    }
    const keys: Array<SigningKey | Sm2SigningKey> = [];
    for (const name of await readdir(dir)) {
      if (!name.endsWith('.json') || name === 'current.json') continue;
      keys.push(await readKey(join(dir, name)));
    }
    const store = new KeyStore(city, dir, keys, current);
    for (const use of KEY_USES)
      if (!store.#keys.has(current[use])) throw new KeyStoreError(`the current ${use} key ${current[use]} has no key file in ${dir}`);
    if (current.documentSm2 !== undefined && !store.#sm2Keys.has(current.documentSm2))
      throw new KeyStoreError(`the current SM2 document key ${current.documentSm2} has no key file in ${dir}`);
    if (options.sm2 && current.documentSm2 === undefined) {
      // Adding the SM2 key to an existing set: under the folder's lock, and only if no other opener just did.
      await withLock(dir, async () => {
        const latest = await readCurrent(dir);
        if (latest?.documentSm2 !== undefined) {
          store.#sm2Keys.set(latest.documentSm2, (await readKey(join(dir, `${latest.documentSm2}.json`))) as Sm2SigningKey);
          store.#current = latest;
          return;
        }
        const key = await writeNewSm2Key(dir, city, now());
        store.#sm2Keys.set(key.kid, key);
        await store.#writeCurrent({ ...(latest ?? store.#current), documentSm2: key.kid });
      });
    }
    return store;
  }

  /** The SM2 document key new documents are signed with, when the store has one. */
  currentSm2(): Sm2SigningKey | undefined {
    return this.#current.documentSm2 === undefined ? undefined : this.#sm2Keys.get(this.#current.documentSm2);
  }

  /** Every SM2 document key, oldest first. */
  allSm2(): Sm2SigningKey[] {
    return [...this.#sm2Keys.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  /** The key new documents (`document`) or tokens (`gateway`) are signed with. */
  current(use: KeyUse): SigningKey {
    return this.#keys.get(this.#current[use]) as SigningKey;
  }

  /** Every key, oldest first; of one use when given. */
  all(use?: KeyUse): SigningKey[] {
    return [...this.#keys.values()]
      .filter((k) => use === undefined || k.use === use)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  /** The key with this kid, or `undefined`. */
  find(kid: string): SigningKey | undefined {
    return this.#keys.get(kid);
  }

  /**
   * Generates a new key for `use` and makes it current. The earlier keys are
   * kept. The caller registers the new key on the ledger before using it
   * (see `registerKeys`), which is why `activate` is separate.
   */
  async generate(use: KeyUse, now: number = Date.now()): Promise<SigningKey> {
    const key = await writeNewKey(this.#dir, this.city, use, now);
    this.#keys.set(key.kid, key);
    return key;
  }

  /** The SM2 document key with this kid, or `undefined`. */
  findSm2(kid: string): Sm2SigningKey | undefined {
    return this.#sm2Keys.get(kid);
  }

  /** Generates a new SM2 document key (not yet current; see {@link KeyStore.activate}). */
  async generateSm2(now: number = Date.now()): Promise<Sm2SigningKey> {
    const key = await writeNewSm2Key(this.#dir, this.city, now);
    this.#sm2Keys.set(key.kid, key);
    return key;
  }

  /** Makes `kid` the current key of its use (persisted); an SM2 kid becomes the current SM2 document key. */
  async activate(kid: string): Promise<void> {
    if (this.#sm2Keys.has(kid)) {
      await this.#writeCurrent({ ...this.#current, documentSm2: kid });
      return;
    }
    const key = this.#keys.get(kid);
    if (!key) throw new KeyStoreError(`no key ${kid}`);
    await this.#writeCurrent({ ...this.#current, [key.use]: kid });
  }

  /**
   * Runs a key rotation: one at a time, and while it runs {@link KeyStore.settled}
   * holds signers back, so nothing is signed with a key the ledger is closing
   * (its `validTo` becomes the new key's creation time).
   */
  async rotating<T>(work: () => Promise<T>): Promise<T> {
    const run = (this.#rotation ?? Promise.resolve()).catch(() => undefined).then(work);
    this.#rotation = run;
    try {
      return await run;
    } finally {
      if (this.#rotation === run) this.#rotation = undefined;
    }
  }

  /** Resolves once no key rotation is under way. Signers await it before they stamp and sign. */
  async settled(): Promise<void> {
    while (this.#rotation) await this.#rotation.catch(() => undefined);
  }

  async #writeCurrent(next: CurrentFile): Promise<void> {
    const tmp = join(this.#dir, `current.json.${process.pid}.${randomUUID()}.tmp`);
    await writeFile(tmp, JSON.stringify(next, null, 2) + '\n', { mode: 0o600 });
    await rename(tmp, join(this.#dir, 'current.json'));
    this.#current = next;
  }
}

/**
 * Writes a first key set (document and gateway keys, an SM2 document key when
 * asked, `current.json`) to a staging folder beside `dir` and renames it to
 * `dir`. When another opener's set got there first (`dir` is not empty), the
 * staged set is dropped; nobody ever lists a key file that then disappears.
 */
async function createKeySet(storeDir: string, dir: string, city: CityId, now: number, options: KeyStoreOptions): Promise<void> {
  const staging = await mkdtemp(join(storeDir, '.keys-staging-')); // mode 0700
  try {
    const [document, gateway] = [await writeNewKey(staging, city, 'document', now), await writeNewKey(staging, city, 'gateway', now)];
    const file: CurrentFile = { document: document.kid, gateway: gateway.kid };
    if (options.sm2) file.documentSm2 = (await writeNewSm2Key(staging, city, now)).kid;
    await writeFile(join(staging, 'current.json'), JSON.stringify(file, null, 2) + '\n', { mode: 0o600 });
    try {
      await rename(staging, dir); // replaces an empty `dir`, fails on one another opener filled
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw err;
    }
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** A lock older than this is taken to be left by a process that died holding it (ms). */
const STALE_LOCK_MS = 30_000;

/** Runs `work` holding `<dir>/.lock` (created exclusively), so changes to a key set happen one at a time across processes. */
async function withLock<T>(dir: string, work: () => Promise<T>): Promise<T> {
  const lock = join(dir, '.lock');
  for (;;) {
    try {
      await (await openFile(lock, 'wx', 0o600)).close();
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const held = await stat(lock).catch(() => undefined);
      if (held && Date.now() - held.mtimeMs > STALE_LOCK_MS) await rm(lock, { force: true });
      else await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  try {
    return await work();
  } finally {
    await rm(lock, { force: true });
  }
}

async function readCurrent(dir: string): Promise<CurrentFile | undefined> {
  try {
    const parsed = JSON.parse(await readFile(join(dir, 'current.json'), 'utf8')) as Partial<CurrentFile>;
    if (typeof parsed.document !== 'string' || typeof parsed.gateway !== 'string')
      throw new KeyStoreError(`${dir}/current.json names no document and gateway keys`);
    const current: CurrentFile = { document: parsed.document, gateway: parsed.gateway };
    if (typeof parsed.documentSm2 === 'string') current.documentSm2 = parsed.documentSm2;
    return current;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

async function readKey(path: string): Promise<SigningKey | Sm2SigningKey> {
  const file = JSON.parse(await readFile(path, 'utf8')) as KeyFile;
  if (file.jwk.kty === 'EC' && file.jwk.crv === 'SM2') {
    if (file.use !== 'document' || typeof file.jwk.d !== 'string') throw new KeyStoreError(`${path} is not an SM2 private document key`);
    return sm2Key(file.kid, file.createdAt, file.jwk as unknown as Sm2PrivateJwk);
  }
  if (file.jwk.kty !== 'OKP' || file.jwk.crv !== 'Ed25519' || typeof file.jwk.x !== 'string' || typeof file.jwk.d !== 'string') {
    throw new KeyStoreError(`${path} is not an Ed25519 private JWK`);
  }
  const privateKey = (await importJWK(file.jwk, KEY_ALGORITHM)) as CryptoKey;
  return {
    kid: file.kid,
    use: file.use,
    createdAt: file.createdAt,
    privateKey,
    publicJwk: { kty: 'OKP', crv: 'Ed25519', x: file.jwk.x, kid: file.kid },
  };
}

async function writeNewKey(dir: string, city: CityId, use: KeyUse, now: number): Promise<SigningKey> {
  const { privateKey } = await generateKeyPair(KEY_ALGORITHM, { crv: 'Ed25519', extractable: true });
  const jwk = await exportJWK(privateKey);
  const thumbprint = await calculateJwkThumbprint({ kty: 'OKP', crv: 'Ed25519', x: jwk.x as string });
  const kid = `${city}.${use}.${thumbprint}`;
  const createdAt = new Date(now).toISOString();
  const file: KeyFile = { kid, use, createdAt, jwk: { ...jwk, kid } };
  await writeKeyFile(dir, file);
  return {
    kid,
    use,
    createdAt,
    privateKey: (await importJWK(file.jwk, KEY_ALGORITHM)) as CryptoKey,
    publicJwk: { kty: 'OKP', crv: 'Ed25519', x: jwk.x as string, kid },
  };
}

/** Writes `<kid>.json` whole or not at all (temporary file, then rename), so a reader never sees half a key. */
async function writeKeyFile(dir: string, file: KeyFile): Promise<void> {
  const tmp = join(dir, `${file.kid}.json.${process.pid}.${randomUUID()}.tmp`);
  await writeFile(tmp, JSON.stringify(file, null, 2) + '\n', { flag: 'wx', mode: 0o600 });
  await rename(tmp, join(dir, `${file.kid}.json`));
}

function sm2Key(kid: string, createdAt: string, jwk: Sm2PrivateJwk): Sm2SigningKey {
  const { x, y } = sm2PublicJwk(jwk);
  return {
    kid,
    use: 'document',
    createdAt,
    privateJwk: { kty: 'EC', crv: 'SM2', x, y, d: jwk.d },
    publicJwk: { kty: 'EC', crv: 'SM2', x, y, kid, alg: SM2SM3_ALGORITHM },
  };
}

async function writeNewSm2Key(dir: string, city: CityId, now: number): Promise<Sm2SigningKey> {
  const jwk = generateSm2PrivateJwk();
  const thumbprint = await calculateJwkThumbprint({ kty: 'EC', crv: 'SM2', x: jwk.x, y: jwk.y });
  const kid = `${city}.document-sm2.${thumbprint}`;
  const createdAt = new Date(now).toISOString();
  const file: KeyFile = { kid, use: 'document', createdAt, jwk: { ...jwk, kid } };
  await writeKeyFile(dir, file);
  return sm2Key(kid, createdAt, jwk);
}
