import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { randomBytes, X509Certificate, createPrivateKey } from 'node:crypto';
import { access, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse, stringify } from 'yaml';
import { CITIES } from '@jcc/domain';
import { adminCliEnv, ensureFabricCa, ordererEnv, peerEnv, portOpen, runtimePaths, sleep, type FabricCaInstall } from '@jcc/network';
import { channelProfile } from '../../network/src/channelConfig.js';
import {
  cityIdentities,
  deployCities,
  enrolCity,
  exportPublicOrg,
  initCa,
  mspFiles,
  hostsByPort,
  orgLayout,
  orgPathRules,
  relocateValue,
  startCa,
  writeKit,
  type CaAccess,
  type CityIdentity,
  type DeployCity,
  type RunningCa,
} from '@jcc/network/deploy';
import { exampleParams, installedFabric, unavailable } from './support.js';

const run = promisify(execFile);

/** Loopback names on every certificate of this test: the CAs and clients run on 127.0.0.1 here. */
const LOOPBACK = ['localhost', '127.0.0.1'];

const cert = async (path: string) => new X509Certificate(await readFile(path));
const ou = (c: X509Certificate) =>
  c.subject
    .split('\n')
    .find((l) => l.startsWith('OU='))
    ?.slice(3);

describe('identities from each city’s own Fabric CA (real fabric-ca-server on loopback)', function () {
  let ca: FabricCaInstall;
  let work: string;
  let cities: DeployCity[];
  const servers: RunningCa[] = [];
  const enrolled: Record<string, { orgDir: string; identities: CityIdentity[]; caCert: X509Certificate; access: CaAccess }> = {};

  before(async function () {
    try {
      ca = await ensureFabricCa(() => {});
    } catch (err) {
      unavailable(this, `Fabric CA 1.5.21 (${(err as Error).message.split('\n')[0]}; npm run deploy:ca -- install)`);
    }
    work = await mkdtemp(join(tmpdir(), 'jcc-ca-'));
    cities = deployCities(await exampleParams());
    // One CA per city, all five at once, each initialised and started as the kit's compose file would.
    await Promise.all(
      cities.map(async (c) => {
        const home = join(work, 'ca', c.city.id);
        const password = randomBytes(18).toString('base64url');
        const files = await initCa(ca.binDir, home, c, { address: '127.0.0.1', extraHosts: LOOPBACK }, password);
        const server = await startCa(ca.binDir, home, c, 'localhost', join(work, `ca.${c.city.id}.log`));
        servers.push(server);
        const orgDir = join(work, 'orgs', c.city.id);
        const identities = await enrolCity(
          ca.binDir,
          c,
          { url: server.url, tlsCertFile: files.tlsCert, registrar: { name: 'admin', password } },
          orgDir,
          { extraTlsHosts: LOOPBACK },
        );
        enrolled[c.city.id] = {
          orgDir,
          identities,
          caCert: await cert(files.caCert),
          access: { url: server.url, tlsCertFile: files.tlsCert, registrar: { name: 'admin', password } },
        };
      }),
    );
  });

  after(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('enrols the peer, orderer, chaincode server, admin and app user of every city', () => {
    for (const c of cities) {
      const types = enrolled[c.city.id]!.identities.map((i) => `${i.name.split(/[.@]/)[0]}:${i.type}`);
      assert.deepEqual(types, ['peer0:peer', 'orderer0:orderer', 'ccaas0:peer', 'Admin:admin', 'User1:client']);
    }
  });

  it('lays every MSP folder out as Fabric needs: signcerts, keystore, cacerts, tlscacerts and NodeOUs', async () => {
    for (const c of cities) {
      const { orgDir, identities } = enrolled[c.city.id]!;
      for (const id of identities) {
        const msp = join(id.dir, 'msp');
        for (const file of [mspFiles.signcert(id.name), mspFiles.key, mspFiles.cacert(c.domain), mspFiles.tlscacert(c.domain)]) {
          await access(join(msp, file));
        }
        const config = parse(await readFile(join(msp, mspFiles.config), 'utf8')) as { NodeOUs: Record<string, unknown> };
        assert.equal(config.NodeOUs.Enable, true);
        for (const [key, value] of [
          ['ClientOUIdentifier', 'client'],
          ['PeerOUIdentifier', 'peer'],
          ['AdminOUIdentifier', 'admin'],
          ['OrdererOUIdentifier', 'orderer'],
        ] as const) {
          const entry = config.NodeOUs[key] as { Certificate: string; OrganizationalUnitIdentifier: string };
          assert.equal(entry.OrganizationalUnitIdentifier, value);
          await access(join(msp, entry.Certificate));
        }
      }
      const org = orgLayout(orgDir, c.domain);
      assert.deepEqual((await readdir(org.orgMsp)).sort(), ['cacerts', 'config.yaml', 'tlscacerts']);
      await access(org.tlsCaCert);
    }
  });

  it("issues certificates that chain to the city's own CA, with the identity type as OU and the key beside them", async () => {
    for (const c of cities) {
      const { identities, caCert } = enrolled[c.city.id]!;
      assert.match(caCert.subject, new RegExp(`O=${c.city.mspId}`));
      assert.ok(caCert.ca, 'the CA certificate is a CA');
      for (const id of identities) {
        const signcert = await cert(join(id.dir, 'msp', mspFiles.signcert(id.name)));
        assert.ok(signcert.checkIssued(caCert) && signcert.verify(caCert.publicKey), `${id.name} chains to ca-${c.city.id}`);
        assert.equal(ou(signcert), id.type, `${id.name}: OU`);
        assert.match(signcert.subject, new RegExp(`CN=${id.name.replace(/\./g, '\\.')}`));
        assert.ok(signcert.checkPrivateKey(createPrivateKey(await readFile(join(id.dir, 'msp', mspFiles.key)))), `${id.name}: key matches`);
        const other = enrolled[cities.find((x) => x !== c)!.city.id]!.caCert;
        assert.ok(!signcert.verify(other.publicKey), `${id.name} does not chain to another city's CA`);
      }
    }
  });

  it('issues TLS certificates for the nodes’ host names and the admin’s client certificate', async () => {
    for (const c of cities) {
      const { identities, caCert } = enrolled[c.city.id]!;
      for (const id of identities.filter((i) => i.tlsHosts.length)) {
        const tls = await cert(join(id.dir, 'tls', `${id.tlsRole}.crt`));
        assert.ok(tls.verify(caCert.publicKey), `${id.name}: TLS certificate from ca-${c.city.id}`);
        assert.ok(tls.checkPrivateKey(createPrivateKey(await readFile(join(id.dir, 'tls', `${id.tlsRole}.key`)))));
        assert.equal((await readFile(join(id.dir, 'tls', 'ca.crt'), 'utf8')).trim(), caCert.toString().trim());
        if (id.tlsRole === 'server') assert.ok(tls.checkHost(id.tlsHosts[0]!), `${id.name}: SAN ${id.tlsHosts[0]}`);
      }
      const hosts = cityIdentities(c, '/x').map((i) => i.tlsHosts[0]);
      assert.deepEqual(hosts.slice(0, 3), [c.hosts.peer, c.hosts.orderer, c.hosts.chaincode]);
    }
  });

  it('enrols a city again (new secrets for identities already registered) with new certificates from the same CA', async () => {
    const c = cities[1]!;
    const first = enrolled[c.city.id]!;
    const again = join(work, 'again', c.city.id);
    const identities = await enrolCity(ca.binDir, c, first.access, again, { extraTlsHosts: LOOPBACK });
    for (const [i, id] of identities.entries()) {
      const before = await cert(join(first.identities[i]!.dir, 'msp', mspFiles.signcert(id.name)));
      const after = await cert(join(id.dir, 'msp', mspFiles.signcert(id.name)));
      assert.notEqual(after.serialNumber, before.serialNumber);
      assert.ok(after.verify(first.caCert.publicKey));
    }
  });

  for (const consensus of ['raft', 'bft'] as const) {
    it(`gives configtxgen what it needs (${consensus}): the kit's channel profile with every city's CA-issued public material makes the genesis block`, async function () {
      const fabric = await installedFabric();
      if (!fabric) unavailable(this, 'Fabric 3.1.5');
      const params = { ...(await exampleParams()), consensus };
      const kit = join(work, `kit-${consensus}`);
      await writeKit(params, kit);
      for (const c of cities) await exportPublicOrg(c, enrolled[c.city.id]!.orgDir, join(kit, 'channel', 'orgs', c.city.id));
      const shared = (await run('find', [join(kit, 'channel', 'orgs'), '-type', 'f'])).stdout;
      assert.ok(!/priv_sk|\.key$/m.test(shared), 'no private key leaves a city');
      const block = join(work, `jiaodong-${consensus}.block`);
      const env = { ...process.env, FABRIC_CFG_PATH: join(kit, 'channel') };
      await run(join(fabric.binDir, 'configtxgen'), ['-profile', 'Jiaodong', '-channelID', 'jiaodong', '-outputBlock', block], { env });
      const { stdout } = await run(join(fabric.binDir, 'configtxgen'), ['-inspectBlock', block], { env, maxBuffer: 64 * 1024 * 1024 });
      for (const c of CITIES) assert.ok(stdout.includes(c.mspId), `${c.mspId} in the genesis block`);
      for (const c of cities) assert.ok(stdout.includes(c.hosts.orderer), `consenter ${c.hosts.orderer}`);
      assert.ok(stdout.includes(consensus === 'raft' ? 'etcdraft' : '"BFT"'), `${consensus} ordering`);
    });
  }

  it('brings up an ordering node and a peer of one city on its CA-issued material: channel joined through osnadmin and the peer CLI', async function () {
    const fabric = await installedFabric();
    if (!fabric) unavailable(this, 'Fabric 3.1.5');
    const c = cities[0]!;
    const busy = [];
    for (const port of [
      c.ports.orderer,
      c.ports.ordererAdmin,
      c.ports.ordererOperations,
      c.ports.peer,
      c.ports.peerChaincode,
      c.ports.peerOperations,
    ]) {
      if (await portOpen(port)) busy.push(port);
    }
    // Ports held by a running network are no missing tool: skip, saying why, even where tools are required.
    if (busy.length) {
      process.stdout.write(
        `      skipped: ports ${busy.join(', ')} are in use (a network runs here); run the suite in a namespace of its own\n`,
      );
      this.skip();
    }
    // A Fabric peer refuses to start without an IPv4 address outside 127.0.0.0/8 (core/peer
    // getLocalAddress judges the address, not the interface: one on `lo` is enough).
    const ipv4 = Object.values(networkInterfaces())
      .flatMap((list) => list ?? [])
      .filter((a) => a.family === 'IPv4' && !a.address.startsWith('127.'));
    if (!ipv4.length) unavailable(this, 'a non-loopback IPv4 interface, which the Fabric peer needs to start');
    const { orgDir } = enrolled[c.city.id]!;
    const smoke = join(work, 'smoke');
    // The single-host network's own environment and channel profile, pointed at the CA-issued folders.
    const r = {
      paths: [...orgPathRules(c, orgDir), [runtimePaths.nodes, join(smoke, 'nodes')] as [string, string]],
      hosts: [],
      hostOfPort: new Map([...hostsByPort(cities).keys()].map((p) => [p, '127.0.0.1'])),
    };
    const n = c.local;
    const layout = orgLayout(orgDir, c.domain);
    const ordererVars = { ...relocateValue(ordererEnv(fabric, n), r), ORDERER_GENERAL_CLUSTER_ROOTCAS: `[${layout.tlsCaCert}]` };
    const peerVars = relocateValue(peerEnv(fabric, n), r);
    type Orgs = { Name: string }[];
    const profile = relocateValue(channelProfile('raft'), r) as {
      Profiles: {
        Jiaodong: { Orderer: { Organizations: Orgs; EtcdRaft: { Consenters: { Port: number }[] } }; Application: { Organizations: Orgs } };
      };
    };
    const one = profile.Profiles.Jiaodong;
    const mine = (orgs: Orgs) => orgs.filter((o) => o.Name === c.city.mspId);
    one.Orderer.Organizations = mine(one.Orderer.Organizations);
    one.Application.Organizations = mine(one.Application.Organizations);
    one.Orderer.EtcdRaft.Consenters = one.Orderer.EtcdRaft.Consenters.filter((x) => x.Port === c.ports.orderer);
    await mkdir(smoke, { recursive: true });
    await writeFile(join(smoke, 'configtx.yaml'), stringify(profile, { aliasDuplicateObjects: false }));
    const block = join(smoke, 'smoke.block');
    await run(join(fabric.binDir, 'configtxgen'), ['-profile', 'Jiaodong', '-channelID', 'smoke', '-outputBlock', block], {
      env: { ...process.env, FABRIC_CFG_PATH: smoke },
    });
    const children: ChildProcess[] = [];
    const start = (name: string, program: string, args: string[], env: NodeJS.ProcessEnv) => {
      const out = openSync(join(smoke, `${name}.log`), 'a');
      children.push(spawn(join(fabric.binDir, program), args, { env, stdio: ['ignore', out, out] }));
      closeSync(out);
    };
    const waitPort = async (port: number, name: string) => {
      const deadline = Date.now() + 60_000;
      while (!(await portOpen(port))) {
        if (Date.now() > deadline) throw new Error(`${name} did not open ${port}: ${await readFile(join(smoke, `${name}.log`), 'utf8')}`);
        await sleep(200);
      }
    };
    try {
      start('orderer', 'orderer', [], ordererVars);
      await waitPort(c.ports.ordererAdmin, 'orderer');
      const admin = layout.user('Admin');
      const osnadmin = (args: string[]) =>
        run(join(fabric.binDir, 'osnadmin'), [
          ...args,
          '-o',
          `127.0.0.1:${c.ports.ordererAdmin}`,
          '--ca-file',
          layout.tlsCaCert,
          '--client-cert',
          join(admin, 'tls', 'client.crt'),
          '--client-key',
          join(admin, 'tls', 'client.key'),
        ]);
      await osnadmin(['channel', 'join', '--channelID', 'smoke', '--config-block', block]);
      start('peer', 'peer', ['node', 'start'], peerVars);
      await waitPort(c.ports.peer, 'peer');
      const cli = {
        ...process.env,
        ...adminCliEnv(fabric, n),
        CORE_PEER_MSPCONFIGPATH: join(admin, 'msp'),
        CORE_PEER_TLS_ROOTCERT_FILE: layout.tlsCaCert,
      };
      await run(join(fabric.binDir, 'peer'), ['channel', 'join', '-b', block], { env: cli });
      const deadline = Date.now() + 60_000;
      let info = '';
      while (!/"height":1\b/.test(info)) {
        if (Date.now() > deadline) throw new Error(`peer did not reach the channel: ${info}`);
        info = (
          await run(join(fabric.binDir, 'peer'), ['channel', 'getinfo', '-c', 'smoke'], { env: cli }).catch((e: Error) => ({
            stdout: e.message,
          }))
        ).stdout;
        await sleep(500);
      }
      const listed = JSON.parse((await osnadmin(['channel', 'list', '--channelID', 'smoke'])).stdout.replace(/^[^{]*/, '')) as {
        status: string;
      };
      assert.equal(listed.status, 'active');
    } finally {
      await Promise.all(
        children.map(
          (child) =>
            new Promise<void>((resolve) => {
              if (child.exitCode !== null) return resolve();
              child.once('exit', () => resolve());
              child.kill('SIGTERM');
            }),
        ),
      );
    }
  });
});
