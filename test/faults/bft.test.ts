/**
 * Fault suite on the SmartBFT ordering service (`network:up -- --consensus bft`): under the
 * same mixed load as the Raft suite, one ordering node of five is killed and brought back,
 * and one is stopped and restarted with its ledger wiped (it joins again and catches up from
 * the others). Runs only against a BFT network: scripts/test.sh starts one in a runtime
 * folder of its own for the `faults-bft` suite.
 */
import assert from 'node:assert/strict';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { CityId } from '@jcc/domain';
import { cityNodes, networkUp, nodeNames, runtimePaths, stopProcess } from '@jcc/network';
import { gateways } from '../gateway/harness.js';
import type { LoadPlan } from './load.js';
import { killNode, restartNode } from './nodes.js';
import { measureScenario } from './scenario.js';
import { assertNothingLost, verificationTarget } from './common.js';

const ALL: CityId[] = ['qingdao', 'yantai', 'weihai', 'weifang', 'rizhao'];
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('faults (SmartBFT)', function () {
  this.timeout(600_000);
  let plan: LoadPlan;

  before(async function () {
    const consensus = (JSON.parse(await readFile(runtimePaths.stateFile, 'utf8')) as { consensus?: string }).consensus;
    assert.equal(consensus, 'bft', `the faults-bft suite needs a SmartBFT network (found ${consensus})`);
    await gateways();
    const jws = await verificationTarget('BFT fault suite verification target');
    plan = { single: 'qingdao', batch: 'weifang', writes: 'yantai', verify: 'rizhao', jws };
  });

  afterEach(async function () {
    for (const city of ALL) for (const kind of ['orderer', 'peer', 'chaincode'] as const) await restartNode(city, kind);
  });

  it('one ordering node of five killed: writes continue; brought back, it rejoins', async function () {
    const r = await measureScenario('orderer-killed', 'bft', plan, async (marks) => {
      await killNode('weihai', 'orderer');
      marks.fault();
      await marks.writesResume(120_000);
      await pause(5000);
      await restartNode('weihai', 'orderer');
      marks.repaired();
    });
    assertNothingLost(r);
  });

  it('one ordering node stopped and restarted with its ledger wiped: it joins again and catches up', async function () {
    const r = await measureScenario('orderer-ledger-wiped', 'bft', plan, async (marks) => {
      const n = cityNodes('weifang');
      await stopProcess(nodeNames(n).orderer);
      marks.fault();
      await rm(join(runtimePaths.nodes, nodeNames(n).orderer), { recursive: true, force: true });
      await marks.writesResume(120_000);
      // network:up is idempotent: it starts the missing node and joins it to the channel again.
      await networkUp({ consensus: 'bft' });
      marks.repaired();
    });
    assertNothingLost(r);
  });
});
