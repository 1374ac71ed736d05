import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes, X509Certificate, createPrivateKey } from 'node:crypto';
import { access, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { CITIES } from '@jcc/domain';
import { ensureFabricCa, type FabricCaInstall } from '@jcc/network';
import {
  cityIdentities,
  deployCities,
  enrolCity,
  exportPublicOrg,
  initCa,
  mspFiles,
  orgLayout,
  startCa,
  writeKit,
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
  const enrolled: Record<string, { orgDir: string; identities: CityIdentity[]; caCert: X509Certificate }> = {};

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
        enrolled[c.city.id] = { orgDir, identities, caCert: await cert(files.caCert) };
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

  it("gives configtxgen what it needs: the kit's channel profile with every city's CA-issued public material makes the genesis block", async function () {
    const fabric = await installedFabric();
    if (!fabric) unavailable(this, 'Fabric 3.1.5');
    const params = await exampleParams();
    const kit = join(work, 'kit');
    await writeKit(params, kit);
    for (const c of cities) await exportPublicOrg(c, enrolled[c.city.id]!.orgDir, join(kit, 'channel', 'orgs', c.city.id));
    const shared = (await run('find', [join(kit, 'channel', 'orgs'), '-type', 'f'])).stdout;
    assert.ok(!/priv_sk|\.key$/m.test(shared), 'no private key leaves a city');
    const block = join(work, 'jiaodong.block');
    await run(join(fabric.binDir, 'configtxgen'), ['-profile', 'Jiaodong', '-channelID', 'jiaodong', '-outputBlock', block], {
      env: { ...process.env, FABRIC_CFG_PATH: join(kit, 'channel') },
    });
    const { stdout } = await run(join(fabric.binDir, 'configtxgen'), ['-inspectBlock', block], {
      env: { ...process.env, FABRIC_CFG_PATH: join(kit, 'channel') },
      maxBuffer: 64 * 1024 * 1024,
    });
    for (const c of CITIES) assert.ok(stdout.includes(c.mspId), `${c.mspId} in the genesis block`);
    for (const c of cities) assert.ok(stdout.includes(c.hosts.orderer), `consenter ${c.hosts.orderer}`);
  });
});
