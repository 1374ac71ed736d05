import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { z } from 'zod';
import { CITIES } from '@jcc/domain';
import { cityCaPorts, cityNodes, cityPorts, CHAINCODE, CHANNEL, ordererEnv, peerEnv, REPO_ROOT, type FabricInstall } from '@jcc/network';
import { DeployParamsError, parseDeployParams, type DeployParams, type KitSummary } from '@jcc/network/deploy';
import { ENDORSEMENT_POLICY } from '../../network/src/chaincodeDeploy.js';
import { channelProfile } from '../../network/src/channelConfig.js';
import { networkFileSchema } from '../../gateway/src/config/network-file.js';
import { exampleParams, generateKit, installedFabric, unavailable } from './support.js';

const run = promisify(execFile);

/** The parts of the Compose file format the kit relies on, checked on the parsed YAML. */
const serviceSchema = z
  .object({
    image: z.string().min(1),
    hostname: z.string().min(1),
    restart: z.string(),
    extra_hosts: z.array(z.string().regex(/^[a-z0-9.-]+:[0-9a-f.:]+$/)).optional(),
    command: z.array(z.string()).optional(),
    depends_on: z.array(z.string()).optional(),
    environment: z.record(z.string(), z.string()),
    volumes: z.array(z.string().regex(/^[^:]+:\/[^:]*(:ro)?$/)),
    ports: z.array(z.string().regex(/^\d+:\d+$/)).optional(),
    expose: z.array(z.string()).optional(),
    networks: z.object({ default: z.object({ aliases: z.array(z.string()) }) }),
  })
  .strict();
const composeSchema = z
  .object({
    services: z
      .object({ ca: serviceSchema, orderer: serviceSchema, peer: serviceSchema, chaincode: serviceSchema, gateway: serviceSchema })
      .strict(),
    volumes: z.record(z.string(), z.object({}).strict()),
  })
  .strict();
type Compose = z.infer<typeof composeSchema>;

/** Stands in for the local Fabric install in the single-host environment functions (only its config path is read). */
const LOCAL_FABRIC: FabricInstall = { binDir: '/unused', configDir: '/unused', source: 'test' };
/** The parts of the channel profile the test reads. */
interface Profile {
  Policies: unknown;
  Application: { Policies: unknown };
  Orderer: { BatchSize: unknown; OrdererType: string; EtcdRaft: { Consenters: { Host: string; Port: number; ServerTLSCert: string }[] } };
}
const ports = (service: Compose['services']['ca']) => (service.ports ?? []).map((p) => Number(p.split(':')[0]));

describe('deployment kit: parameters', () => {
  it('accepts the example file, deriving every node host name from the city domain', async () => {
    const params = await exampleParams();
    assert.deepEqual(Object.keys(params.cities).sort(), CITIES.map((c) => c.id).sort());
    assert.equal(params.consensus, 'raft');
  });

  it('names every missing city and every malformed host name', () => {
    const example = {
      cities: { qingdao: { domain: 'Not A Host' }, yantai: { domain: 'credit.yantai.example.gov.cn', address: '300.1.1.1' } },
    };
    assert.throws(
      () => parseDeployParams(example),
      (err: unknown) => {
        assert.ok(err instanceof DeployParamsError);
        for (const path of ['cities.qingdao.domain', 'cities.yantai.address', 'cities.weihai', 'cities.weifang', 'cities.rizhao']) {
          assert.match(err.message, new RegExp(path.replace('.', '\\.')));
        }
        return true;
      },
    );
  });
});

describe('deployment kit: generated from the single-host topology', function () {
  let dir: string;
  let params: DeployParams;
  let summary: KitSummary;
  const compose: Record<string, Compose> = {};

  before(async () => {
    ({ dir, params, summary } = await generateKit());
    for (const c of CITIES) {
      compose[c.id] = composeSchema.parse(parse(await readFile(join(dir, c.id, 'docker-compose.yaml'), 'utf8')));
    }
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('uses the channel, chaincode, endorsement policy and Fabric release of the single-host network', () => {
    assert.equal(summary.channel, CHANNEL);
    assert.equal(summary.chaincode.name, CHAINCODE);
    assert.equal(summary.chaincode.endorsementPolicy, ENDORSEMENT_POLICY);
    assert.equal(summary.fabric.version, '3.1.5');
    assert.equal(summary.images.orderer, 'hyperledger/fabric-orderer:3.1.5');
    assert.match(summary.images.peer, /fabric-peer-ccaas:3\.1\.5$/);
  });

  it("gives each city the single-host network's ports, MSP id and the host names from its parameters", () => {
    CITIES.forEach((c, index) => {
      const local = cityPorts(index);
      const doc = compose[c.id]!.services;
      const domain = params.cities[c.id]!.domain;
      assert.deepEqual(summary.cities[c.id].ports, { ...local, ...cityCaPorts(index), gateway: c.gatewayPort });
      assert.deepEqual(ports(doc.orderer), [local.orderer, local.ordererAdmin, local.ordererOperations]);
      assert.deepEqual(ports(doc.peer), [local.peer, local.peerOperations]);
      assert.deepEqual(ports(doc.ca), [cityCaPorts(index).ca]);
      assert.deepEqual(ports(doc.gateway), [c.gatewayPort]);
      assert.deepEqual(doc.chaincode.expose, [String(local.chaincodeServer)]);
      assert.equal(doc.orderer.environment.ORDERER_GENERAL_LOCALMSPID, c.mspId);
      assert.equal(doc.peer.environment.CORE_PEER_LOCALMSPID, c.mspId);
      assert.equal(doc.peer.hostname, `peer0.${domain}`);
      assert.equal(doc.peer.environment.CORE_PEER_ADDRESS, `peer0.${domain}:${local.peer}`);
      assert.equal(doc.peer.environment.CORE_PEER_GOSSIP_EXTERNALENDPOINT, `peer0.${domain}:${local.peer}`);
      assert.equal(doc.peer.environment.JCC_CCAAS_ADDRESS, `ccaas0.${domain}:${local.chaincodeServer}`);
      assert.deepEqual(doc.chaincode.networks.default.aliases, [`ccaas0.${domain}`]);
      assert.equal(doc.gateway.environment.JCC_GATEWAY_PORT, String(c.gatewayPort));
      assert.equal(doc.gateway.environment.JCC_CITY, c.id);
    });
  });

  it('sets exactly the variables the single-host nodes run with, the same ports in every value', () => {
    const numbers = (env: Record<string, string | undefined>) =>
      Object.fromEntries(Object.entries(env).map(([k, v]) => [k, (v ?? '').match(/:\d{4}\b|^\d+$/g)?.join() ?? '']));
    CITIES.forEach((c) => {
      const doc = compose[c.id]!.services;
      const local = { orderer: ordererEnv(LOCAL_FABRIC, cityNodes(c.id)), peer: peerEnv(LOCAL_FABRIC, cityNodes(c.id)) };
      for (const node of ['orderer', 'peer'] as const) {
        const { PATH: _p, HOME: _h, ...expected } = local[node];
        assert.deepEqual(Object.keys(doc[node].environment).sort(), Object.keys(expected).sort(), `${node} of ${c.id}`);
        assert.deepEqual(numbers(doc[node].environment), numbers(expected), `${node} of ${c.id}: ports`);
      }
    });
  });

  it('mounts the CCaaS builder into the peer and gives every ledger and store its own volume', async () => {
    for (const c of CITIES) {
      const doc = compose[c.id]!.services;
      const builderMount = doc.peer.volumes.find((v) => v.startsWith('./builders/ccaas:'));
      assert.ok(builderMount, `${c.id}: builder mounted`);
      const mountPoint = builderMount.split(':')[1]!;
      assert.match(doc.peer.environment.CORE_CHAINCODE_EXTERNALBUILDERS!, new RegExp(`path: ${mountPoint},`));
      for (const step of ['detect', 'build', 'release']) {
        const copy = await readFile(join(dir, c.id, 'builders', 'ccaas', 'bin', step), 'utf8');
        assert.equal(copy, await readFile(join(REPO_ROOT, 'network', 'builders', 'ccaas', 'bin', step), 'utf8'));
      }
      assert.ok(doc.orderer.volumes.includes('orderer-ledger:/var/hyperledger/production'));
      assert.ok(doc.peer.volumes.includes('peer-ledger:/var/hyperledger/production'));
      assert.ok(doc.gateway.volumes.some((v) => v.startsWith('gateway-store:')));
      assert.ok(doc.ca.volumes.some((v) => v.startsWith('./ca:')));
    }
  });

  it('names no path of this machine, no loopback address and no development host name', async () => {
    for (const c of CITIES) {
      const text = await readFile(join(dir, c.id, 'docker-compose.yaml'), 'utf8');
      for (const local of [REPO_ROOT, '127.0.0.1', 'jiaodong.local', '/tmp/']) assert.ok(!text.includes(local), `${c.id} names ${local}`);
    }
  });

  it("writes each gateway a network description the gateway's own schema accepts", async () => {
    for (const c of CITIES) {
      const file = networkFileSchema.parse(JSON.parse(await readFile(join(dir, c.id, 'gateway', 'network.json'), 'utf8')));
      const own = file.cities[c.id]!;
      assert.equal(file.channel, CHANNEL);
      assert.equal(own.mspId, c.mspId);
      assert.equal(own.peer.endpoint, `${summary.cities[c.id].hosts.peer}:${summary.cities[c.id].ports.peer}`);
      assert.match(own.users.app!.certPath, /^\/etc\/jcc\/crypto\/users\/User1@.*\/msp\/signcerts\/User1@.*-cert\.pem$/);
    }
  });

  it("keeps the single-host channel profile's policies and batch sizes, at the cities' host names", async () => {
    const kit = parse(await readFile(join(dir, 'channel', 'configtx.yaml'), 'utf8')) as { Profiles: { Jiaodong: Profile } };
    const local = (channelProfile('raft') as { Profiles: { Jiaodong: Profile } }).Profiles.Jiaodong;
    const profile = kit.Profiles.Jiaodong;
    assert.deepEqual(profile.Policies, local.Policies);
    assert.deepEqual(profile.Application.Policies, local.Application.Policies);
    assert.deepEqual(profile.Orderer.BatchSize, local.Orderer.BatchSize);
    assert.equal(profile.Orderer.OrdererType, 'etcdraft');
    const consenters = profile.Orderer.EtcdRaft.Consenters;
    assert.deepEqual(
      consenters.map((x) => `${x.Host}:${x.Port}`),
      CITIES.map((c, i) => `${summary.cities[c.id].hosts.orderer}:${cityPorts(i).orderer}`),
    );
    assert.ok(consenters.every((x) => x.ServerTLSCert.startsWith('orgs/')));
  });

  it("computes the chaincode package id as Fabric's peer CLI does", async function () {
    const fabric = await installedFabric();
    if (!fabric) unavailable(this, 'Fabric 3.1.5');
    const pkg = join(dir, 'chaincode', `${summary.chaincode.label}.tar.gz`);
    const { stdout } = await run(join(fabric.binDir, 'peer'), ['lifecycle', 'chaincode', 'calculatepackageid', pkg], {
      env: { ...process.env, FABRIC_CFG_PATH: fabric.configDir },
    });
    assert.equal(stdout.trim(), summary.chaincode.packageId);
    for (const c of CITIES)
      assert.match(await readFile(join(dir, c.id, '.env'), 'utf8'), new RegExp(`^CHAINCODE_ID=${summary.chaincode.packageId}$`, 'm'));
  });

  it("passes Debian's docker-compose config for every city", async function () {
    const found = await run('docker-compose', ['version', '--short']).catch(() => undefined);
    if (!found) unavailable(this, 'docker-compose (apt-get install --no-install-recommends docker-compose)');
    for (const c of CITIES) {
      const { stdout } = await run('docker-compose', ['config'], { cwd: join(dir, c.id) });
      const resolved = parse(stdout) as { services: Record<string, { command?: string[] }> };
      assert.deepEqual(Object.keys(resolved.services).sort(), ['ca', 'chaincode', 'gateway', 'orderer', 'peer']);
      assert.ok(resolved.services.chaincode!.command!.includes(`--chaincode-id=${summary.chaincode.packageId}`), 'CHAINCODE_ID from .env');
    }
    assert.deepEqual(
      (await readdir(dir)).sort(),
      ['README.txt', 'chaincode', 'channel', ...CITIES.map((c) => c.id)].concat('kit.json').sort(),
    );
  });
});
