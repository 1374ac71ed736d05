import assert from 'node:assert/strict';
import { CITY_IDS } from '@jcc/domain';
import { hostsLayout, HostsLayoutError } from './hostsLayout.js';
import { cityNodes, gatewayUrl } from './topology.js';

describe('the --hosts layout', () => {
  it('puts the bridge at .1 and the cities at .11 … .15 of the subnet, in namespaces named by the prefix', () => {
    const layout = hostsLayout('hh-', '10.251.0.0/24');
    assert.equal(layout.hub.netns, 'hh-hub');
    assert.equal(layout.hub.address, '10.251.0.1');
    assert.deepEqual(
      CITY_IDS.map((c) => [layout.cities[c].netns, layout.cities[c].address]),
      [
        ['hh-qingdao', '10.251.0.11'],
        ['hh-yantai', '10.251.0.12'],
        ['hh-weihai', '10.251.0.13'],
        ['hh-weifang', '10.251.0.14'],
        ['hh-rizhao', '10.251.0.15'],
      ],
    );
  });

  it('gives the topology each city its address and namespace, and 127.0.0.1 for the single-host network', () => {
    const layout = hostsLayout('jcc-', '10.9.8.0/24');
    const yantai = cityNodes('yantai', layout);
    assert.equal(yantai.host, '10.9.8.12');
    assert.equal(yantai.netns, 'jcc-yantai');
    assert.equal(yantai.ports.peer, 7151, 'the same ports in both modes');
    assert.equal(gatewayUrl('rizhao', layout), 'http://10.9.8.15:8105');
    const single = cityNodes('yantai', null);
    assert.equal(single.host, '127.0.0.1');
    assert.equal(single.netns, undefined);
    assert.deepEqual(single.ports, yantai.ports);
  });

  it('refuses a prefix that cannot name a namespace and a subnet that is not a usable /24', () => {
    for (const prefix of ['', 'Jcc-', '1jcc', 'a-very-long-prefix-', 'jcc/'])
      assert.throws(() => hostsLayout(prefix, '10.251.0.0/24'), HostsLayoutError, prefix);
    for (const subnet of ['10.251.0.0/16', '10.251.0.5/24', '127.0.0.0/24', '300.1.1.0/24', 'ten'])
      assert.throws(() => hostsLayout('jcc-', subnet), HostsLayoutError, subnet);
  });
});
