/**
 * The deployment kit and the `--hosts` mode come from the same topology: a kit generated for
 * the `--hosts` layout (each city's domain as on the local network, its address on the bridge)
 * holds the configuration that mode runs, value for value, once host names are resolved to
 * the cities' addresses and container paths mapped to the local ones. When a `--hosts` network
 * runs (the hosts suite), the comparison is with the environment of its running processes
 * (/proc/<pid>/environ) and the channel configuration it wrote; otherwise with the functions
 * that network:up starts them with. The same holds for each city's Fabric CA: the --hosts mode
 * runs one per city with the kit's CA configuration, and every node's identity is issued by it.
 */
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { readFile, rm, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { CITIES, type CityId } from '@jcc/domain';
import {
  activeHostsLayout,
  cityCaHome,
  cityNodes,
  gatewayUrl,
  hostsCaListen,
  hostsLayoutFromEnv,
  nodeNames,
  ordererEnv,
  peerEnv,
  runningProcess,
  runtimePaths,
  type FabricInstall,
  type HostsLayout,
} from '@jcc/network';
import {
  caProcessName,
  caServerConfig,
  containerRelocation,
  deployCities,
  hostsDeployParams,
  writeKit,
  type KitSummary,
} from '@jcc/network/deploy';
import { channelProfile } from '../../network/src/channelConfig.js';

/** Stands in for the local Fabric install (its paths are not part of the comparison). */
const LOCAL_FABRIC: FabricInstall = { binDir: '/unused', configDir: '/unused', source: 'test' };
/** Variables that differ by nature between a process on this machine and a container: the images set them. */
const MACHINE_ONLY = new Set(['PATH', 'HOME', 'FABRIC_CFG_PATH']);

/** The parts of a fabric-ca-server configuration the comparison adjusts. */
interface CaConfig {
  address: string;
  operations: { listenAddress: string };
  csr: { hosts: string[] };
  registry: { identities: { pass: string }[] };
}

interface Consenter {
  Host: string;
  Port: number;
}
interface Org {
  Name: string;
  OrdererEndpoints: string[];
  AnchorPeers: Consenter[];
}
interface Profile {
  Orderer: { OrdererType: string; Organizations: Org[]; EtcdRaft: { Consenters: Consenter[] } };
  Application: { Organizations: Org[] };
}

/** The environment of a running process of ours, read from /proc; undefined when it does not run. */
async function runningEnv(name: string): Promise<Record<string, string> | undefined> {
  const record = await runningProcess(name);
  if (!record) return undefined;
  const text = await readFile(`/proc/${record.pid}/environ`, 'utf8');
  return Object.fromEntries(
    text
      .split('\0')
      .filter(Boolean)
      .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
  );
}

describe('deployment kit = the --hosts mode', function () {
  this.timeout(120_000);
  const layout: HostsLayout = activeHostsLayout() ?? hostsLayoutFromEnv();
  const live = activeHostsLayout() !== null;
  let dir: string;
  let summary: KitSummary;
  /** Every host name of the kit with the address it stands for (each city's names → its address). */
  let addressOf: Map<string, string>;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'jcc-kit-hosts-'));
    summary = await writeKit(hostsDeployParams(layout), dir);
    addressOf = new Map();
    for (const c of CITIES) for (const h of Object.values(summary.cities[c.id].hosts)) addressOf.set(h, summary.cities[c.id].address!);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  /** A kit value with its host names resolved; a listen address of 0.0.0.0 stands for the city's own address. */
  const resolveHosts = (value: string, own: string, listen: boolean): string => {
    let out = value.replace(/\b([a-z0-9-]+(?:\.[a-z0-9-]+)+):(\d+)\b/g, (whole, host: string, port: string) => {
      const address = addressOf.get(host);
      return address ? `${address}:${port}` : whole;
    });
    if (listen) out = out.replace(/^0\.0\.0\.0(?=:|$)/, own);
    return out;
  };

  it("gives each city its --hosts address, the topology's ports and the gateway URL that mode uses", () => {
    for (const c of CITIES) {
      const n = cityNodes(c.id, layout);
      const kit = summary.cities[c.id];
      assert.equal(kit.address, layout.cities[c.id].address);
      assert.equal(kit.domain, n.orgDomain);
      assert.deepEqual(
        { peer: kit.hosts.peer, orderer: kit.hosts.orderer, chaincode: kit.hosts.chaincode },
        {
          peer: n.peerHost,
          orderer: n.ordererHost,
          chaincode: n.chaincodeHost,
        },
      );
      for (const [k, v] of Object.entries(n.ports)) assert.equal(kit.ports[k as keyof typeof kit.ports], v, `${c.id} ${k}`);
      assert.equal(kit.gatewayPublicUrl, gatewayUrl(c.id, layout));
    }
  });

  for (const node of ['orderer', 'peer'] as const) {
    it(`sets the ${node} of every city exactly as the --hosts mode ${live ? 'runs it (/proc/<pid>/environ)' : 'starts it'}`, async () => {
      const cities = deployCities(hostsDeployParams(layout), layout);
      for (const c of CITIES) {
        const id = c.id as CityId;
        const n = cityNodes(id, layout);
        const city = cities.find((x) => x.city.id === id)!;
        const compose = parse(await readFile(join(dir, id, 'docker-compose.yaml'), 'utf8')) as {
          services: Record<string, { environment: Record<string, string> }>;
        };
        const kitEnv = compose.services[node]!.environment;
        const hostsEnv =
          (live ? await runningEnv(nodeNames(n)[node]) : undefined) ??
          (node === 'orderer' ? ordererEnv(LOCAL_FABRIC, n) : peerEnv(LOCAL_FABRIC, n));
        // The paths of this machine as the kit's containers name them (the same path rules the kit applies).
        const paths = containerRelocation(city, cities).paths;
        const localToContainer = (v: string) => paths.reduce((out, [from, to]) => out.split(from).join(to), v);
        const expected = Object.fromEntries(
          Object.entries(hostsEnv)
            .filter(
              ([k, v]) =>
                v !== undefined &&
                !MACHINE_ONLY.has(k) &&
                k in (node === 'orderer' ? ordererEnv(LOCAL_FABRIC, n) : peerEnv(LOCAL_FABRIC, n)),
            )
            .map(([k, v]) => [k, localToContainer(v!)]),
        );
        const actual = Object.fromEntries(
          Object.entries(kitEnv)
            .filter(([k]) => !MACHINE_ONLY.has(k))
            .map(([k, v]) => [k, resolveHosts(v, n.host, /LISTENADDRESS$/.test(k))]),
        );
        assert.deepEqual(actual, expected, `${node} of ${id}`);
      }
    });
  }

  it(`holds the channel configuration the --hosts mode ${live ? 'wrote' : 'writes'}: endpoints, anchor peers, consenters`, async () => {
    const kit = (parse(await readFile(join(dir, 'channel', 'configtx.yaml'), 'utf8')) as { Profiles: { Jiaodong: Profile } }).Profiles
      .Jiaodong;
    const mode = live
      ? (JSON.parse(await readFile(join(runtimePaths.channel, 'configtx.yaml'), 'utf8')) as { Profiles: { Jiaodong: Profile } }).Profiles
          .Jiaodong
      : (channelProfile('raft', layout) as { Profiles: { Jiaodong: Profile } }).Profiles.Jiaodong;
    const where = (p: Profile) => ({
      consenters: p.Orderer.OrdererType === 'etcdraft' ? p.Orderer.EtcdRaft.Consenters.map((x) => `${x.Host}:${x.Port}`) : [],
      endpoints: p.Orderer.Organizations.map((o) => [o.Name, ...o.OrdererEndpoints]),
      anchors: p.Application.Organizations.map((o) => [o.Name, ...o.AnchorPeers.map((a) => `${a.Host}:${a.Port}`)]),
    });
    const resolved = JSON.parse(JSON.stringify(where(kit)), (_k, v: unknown) =>
      typeof v === 'string' ? resolveHosts(v, '', false) : v,
    ) as ReturnType<typeof where>;
    assert.deepEqual(resolved, where(mode));
    assert.ok(
      resolved.endpoints.every(([, e]) => !e!.startsWith('127.')),
      'every endpoint at a city address',
    );
  });
  it(`runs each city's CA with the kit's CA configuration ${live ? '(the running CA homes)' : '(as network:up writes it)'}, on the city's address`, async () => {
    const cities = deployCities(hostsDeployParams(layout), layout);
    for (const c of cities) {
      const id = c.city.id;
      const kit = parse(await readFile(join(dir, id, 'ca', 'fabric-ca-server-config.yaml.template'), 'utf8')) as CaConfig;
      const mode = (
        live
          ? parse(await readFile(join(cityCaHome(id), 'fabric-ca-server-config.yaml'), 'utf8'))
          : parse(caServerConfig(c, hostsCaListen(c), 'unused'))
      ) as CaConfig;
      const own = layout.cities[id].address;
      // The kit's container listens on every address and is reached by its host name; the
      // --hosts mode's CA listens on the city's address and is reached there, so its TLS
      // certificate names that address too. The bootstrap password is each CA's own.
      const comparable = (x: CaConfig, listen: string, hosts: string[]) => {
        const copy = structuredClone(x);
        copy.address = listen;
        copy.operations.listenAddress = copy.operations.listenAddress.replace(/^[^:]+/, listen);
        copy.csr.hosts = hosts;
        for (const i of copy.registry.identities) i.pass = '(own)';
        return copy;
      };
      assert.deepEqual(mode.csr.hosts, [...kit.csr.hosts, own], `${id}: CA TLS names`);
      assert.deepEqual(comparable(mode, own, []), comparable(kit, own, []), `CA of ${id}`);
    }
  });

  // Only a running --hosts network has CA-issued identities to check (the hosts suite runs this file
  // live); the deploy suite, on a single-host network, does not declare the test at all.
  (live ? it : () => undefined)("gives every node of a city an identity issued by that city's own CA, not by cryptogen", async function () {
    for (const c of CITIES) {
      const n = cityNodes(c.id, layout);
      assert.ok(await runningProcess(caProcessName(c.id)), `the CA of ${c.id} runs`);
      const caCert = new X509Certificate(await readFile(join(cityCaHome(c.id), 'ca-cert.pem')));
      const files = [
        join(n.peerDir, 'msp', 'signcerts', `${n.peerHost}-cert.pem`),
        join(n.peerDir, 'tls', 'server.crt'),
        join(n.ordererDir, 'msp', 'signcerts', `${n.ordererHost}-cert.pem`),
        join(n.ordererDir, 'tls', 'server.crt'),
        join(n.chaincodeServerDir, 'tls', 'server.crt'),
        join(n.adminMspDir, 'signcerts', `Admin@${n.orgDomain}-cert.pem`),
        join(n.appMspDir, 'signcerts', `User1@${n.orgDomain}-cert.pem`),
      ];
      for (const f of files) {
        const cert = new X509Certificate(await readFile(f));
        assert.ok(cert.checkIssued(caCert) && cert.verify(caCert.publicKey), `${f} is issued by ca-${c.id}`);
      }
      assert.equal((await readFile(n.tlsCaCert, 'utf8')).trim(), caCert.toString().trim(), `${c.id}: the TLS CA is the city's CA`);
      const peerTls = new X509Certificate(await readFile(join(n.peerDir, 'tls', 'server.crt')));
      assert.ok(peerTls.checkIP(layout.cities[c.id].address), `${c.id}: the peer's TLS certificate names its address`);
      assert.ok(peerTls.checkHost(n.peerHost), `${c.id}: and its host name`);
    }
  });
});
