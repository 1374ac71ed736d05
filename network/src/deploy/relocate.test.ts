import { strict as assert } from 'node:assert';
import { CITY_IDS } from '@jcc/domain';
import { cityNodes } from '../topology.js';
import { parseDeployParams } from './cities.js';
import { containerRelocation } from './containerEnv.js';
import { deployCities } from './kitTopology.js';
import { hostsByPort, relocateString, relocateValue } from './relocate.js';

const params = parseDeployParams({
  cities: Object.fromEntries(CITY_IDS.map((id) => [id, { domain: `${id}.example.gov.cn` }])),
});
const cities = deployCities(params);
const [qingdao, yantai] = cities as [(typeof cities)[number], (typeof cities)[number]];

describe('deployment kit: relocation of single-host values', () => {
  it('sends a loopback port to the host of the node that owns it, in any city, and listens on all interfaces where a node listens', () => {
    const r = containerRelocation(qingdao, cities);
    assert.equal(relocateString('127.0.0.1:7151', r), 'peer0.yantai.example.gov.cn:7151');
    assert.equal(relocateString('127.0.0.1:7055', r), 'ccaas0.qingdao.example.gov.cn:7055');
    assert.equal(relocateString('127.0.0.1:7051', r, true), '0.0.0.0:7051');
    assert.throws(() => relocateString('127.0.0.1:1234', r), /no node of the topology listens on port 1234/);
  });

  it("maps the city's own crypto folder and the other cities' folders to their mounts, with the real domain", () => {
    const r = containerRelocation(qingdao, cities);
    const local = cityNodes('qingdao');
    assert.equal(relocateString(`${local.peerDir}/tls/server.crt`, r), '/etc/jcc/crypto/peers/peer0.qingdao.example.gov.cn/tls/server.crt');
    assert.equal(relocateString(cityNodes('yantai').tlsCaCert, r), '/etc/jcc/orgs/yantai/tlsca/tlsca.yantai.example.gov.cn-cert.pem');
    assert.equal(relocateString(local.peerHost, r), 'peer0.qingdao.example.gov.cn');
  });

  it('rewrites configtx Host/Port pairs and keeps one owner per port', () => {
    const r = { paths: [], hosts: [], hostOfPort: hostsByPort(cities) };
    assert.deepEqual(relocateValue({ AnchorPeers: [{ Host: '127.0.0.1', Port: yantai.ports.peer }] }, r), {
      AnchorPeers: [{ Host: 'peer0.yantai.example.gov.cn', Port: 7151 }],
    });
    assert.throws(() => hostsByPort([qingdao, qingdao]), /share port 7050/);
  });

  it('takes host names from the parameters when given, else derives them from the domain', () => {
    const custom = deployCities(
      parseDeployParams({
        cities: { ...params.cities, weihai: { domain: 'weihai.example.gov.cn', hosts: { peer: 'node7.dc2.weihai.example.gov.cn' } } },
      }),
    ).find((c) => c.city.id === 'weihai')!;
    assert.equal(custom.hosts.peer, 'node7.dc2.weihai.example.gov.cn');
    assert.equal(custom.hosts.orderer, 'orderer0.weihai.example.gov.cn');
    assert.equal(custom.gatewayPublicUrl, 'http://gateway.weihai.example.gov.cn:8103');
  });
});
