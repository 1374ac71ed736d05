import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { HttpProblem } from '../http/problem.js';

/**
 * The SSRF guard of webhook receivers: a subscription may only make the
 * gateway send requests to a receiver on the public internet, over https. A
 * city's intranet is admitted by naming its CIDR blocks (`allowedNetworks`);
 * loopback (and plain http to it) only with `allowLoopback`, which is for
 * development. The guard runs when a subscription is created (the name must
 * resolve, to allowed addresses only) and again at every connection (the
 * `lookup` the transport connects with), so a name that later resolves to an
 * internal address is refused then. Redirects are never followed.
 */

/** What the guard admits. */
export interface ReceiverPolicy {
  allowLoopback: boolean;
  allowedNetworks: readonly string[];
}

/** Longest receiver URL accepted. */
export const MAX_RECEIVER_URL_LENGTH = 2048;

/** A receiver URL (or an address it resolves to) that the guard refuses. */
export class ReceiverRefusedError extends HttpProblem {
  constructor(detail: string) {
    super(400, 'invalid-argument', 'Invalid argument', `url: ${detail}`, {
      code: 'INVALID_ARGUMENT',
      errors: [{ path: 'url', message: detail }],
    });
  }
}

/** Addresses that are not on the public internet (RFC 6890 special-purpose blocks, and the ones that embed other addresses). */
function specialPurpose(): BlockList {
  const list = new BlockList();
  const v4: Array<[string, number]> = [
    ['0.0.0.0', 8],
    ['10.0.0.0', 8],
    ['100.64.0.0', 10],
    ['169.254.0.0', 16],
    ['172.16.0.0', 12],
    ['192.0.0.0', 24],
    ['192.0.2.0', 24],
    ['192.88.99.0', 24],
    ['192.168.0.0', 16],
    ['198.18.0.0', 15],
    ['198.51.100.0', 24],
    ['203.0.113.0', 24],
    ['224.0.0.0', 4],
    ['240.0.0.0', 4],
  ];
  for (const [net, prefix] of v4) list.addSubnet(net, prefix, 'ipv4');
  const v6: Array<[string, number]> = [
    ['::', 128],
    ['64:ff9b::', 96],
    ['64:ff9b:1::', 48],
    ['100::', 64],
    ['2001::', 23],
    ['2001:db8::', 32],
    ['2002::', 16],
    ['fc00::', 7],
    ['fe80::', 10],
    ['ff00::', 8],
  ];
  for (const [net, prefix] of v6) list.addSubnet(net, prefix, 'ipv6');
  return list;
}

function loopback(): BlockList {
  const list = new BlockList();
  list.addSubnet('127.0.0.0', 8, 'ipv4');
  list.addAddress('::1', 'ipv6');
  return list;
}

/** See the module comment. */
export class ReceiverGuard {
  readonly #policy: ReceiverPolicy;
  readonly #special = specialPurpose();
  readonly #loopback = loopback();
  readonly #allowed = new BlockList();

  /** @throws Error when an allowed network is not a CIDR block. */
  constructor(policy: ReceiverPolicy) {
    this.#policy = policy;
    for (const cidr of policy.allowedNetworks) {
      const match = /^([^/]+)\/(\d{1,3})$/.exec(cidr.trim());
      const family = match ? isIP(match[1] ?? '') : 0;
      const prefix = Number(match?.[2]);
      if (!match || family === 0 || prefix > (family === 4 ? 32 : 128))
        throw new Error(`notifications.allowedNetworks: "${cidr}" is not a CIDR block such as 10.20.0.0/16`);
      this.#allowed.addSubnet(match[1] as string, prefix, family === 4 ? 'ipv4' : 'ipv6');
    }
  }

  /** Why `address` may not be connected to, or `undefined` when it may. */
  refusal(address: string): string | undefined {
    const family = isIP(address);
    if (family === 0) return `${address} is not an IP address`;
    const type = family === 4 ? 'ipv4' : 'ipv6';
    // IPv4-mapped IPv6 (::ffff:a.b.c.d): never needed to name a receiver, and a way to dress up an internal address.
    if (type === 'ipv6' && /^(0{0,4}:){0,5}:?ffff:/i.test(address.replace(/^::/, '0::'))) return `${address} is an IPv4-mapped address`;
    if (this.#allowed.check(address, type)) return undefined;
    if (this.#loopback.check(address, type))
      return this.#policy.allowLoopback ? undefined : `${address} is a loopback address (allowed in development configuration only)`;
    if (this.#special.check(address, type))
      return `${address} is not a public address (name its network in notifications.allowedNetworks to allow it)`;
    return undefined;
  }

  /**
   * Checks the URL's form: absolute, https (http only to loopback with
   * `allowLoopback`), no credentials, no fragment; and an IP-literal host's address.
   *
   * @throws ReceiverRefusedError saying why not.
   */
  parse(text: string): URL {
    if (text.length > MAX_RECEIVER_URL_LENGTH) throw new ReceiverRefusedError(`longer than ${MAX_RECEIVER_URL_LENGTH} characters`);
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw new ReceiverRefusedError('not an absolute URL');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ReceiverRefusedError('must be an https URL');
    if (url.username || url.password) throw new ReceiverRefusedError('must not carry credentials');
    if (url.hash) throw new ReceiverRefusedError('must not have a fragment');
    const host = hostOf(url);
    if (!host) throw new ReceiverRefusedError('has no host');
    if (url.protocol === 'http:') {
      const literal = isIP(host) !== 0;
      const toLoopback = (literal && this.#loopback.check(host, isIP(host) === 4 ? 'ipv4' : 'ipv6')) || host === 'localhost';
      if (!this.#policy.allowLoopback || !toLoopback)
        throw new ReceiverRefusedError('must be an https URL (plain http only to loopback, in development configuration)');
    }
    if (isIP(host) !== 0) {
      const why = this.refusal(host);
      if (why) throw new ReceiverRefusedError(why);
    }
    return url;
  }

  /**
   * {@link parse}, then resolves the host: it must resolve, and to allowed addresses only.
   *
   * @throws ReceiverRefusedError saying why not.
   */
  async check(text: string): Promise<URL> {
    const url = this.parse(text);
    const host = hostOf(url);
    if (isIP(host) !== 0) return url;
    const addresses = await new Promise<LookupAddress[]>((resolve, reject) =>
      dnsLookup(host, { all: true }, (err, found) => (err ? reject(err) : resolve(found))),
    ).catch(() => {
      throw new ReceiverRefusedError(`the host ${host} does not resolve`);
    });
    for (const a of addresses) {
      const why = this.refusal(a.address);
      if (why) throw new ReceiverRefusedError(`${host} resolves to ${why}`);
    }
    return url;
  }

  /** A `lookup` for `http.request` that resolves like the system does and refuses any name resolving to a refused address. */
  readonly lookup: LookupFunction = (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const list = addresses as LookupAddress[];
      for (const a of list) {
        const why = this.refusal(a.address);
        if (why) return callback(Object.assign(new Error(`receiver refused: ${hostname} resolves to ${why}`), { code: 'EREFUSED' }), '', 0);
      }
      const first = list[0];
      if (!first) return callback(Object.assign(new Error(`${hostname} does not resolve`), { code: 'ENOTFOUND' }), '', 0);
      if ((options as { all?: boolean }).all) (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
      else callback(null, first.address, first.family);
    });
  };
}

/** The URL's host without IPv6 brackets. */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}
