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
import { call, gateways, runTag, testUscc, token } from '../gateway/harness.js';
import type { LoadPlan } from './load.js';
import { killNode, restartNode } from './nodes.js';
import { measureScenario, type ScenarioResult } from './scenario.js';

const ALL: CityId[] = ['qingdao', 'yantai', 'weihai', 'weifang', 'rizhao'];
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

function assertNothingLost(r: ScenarioResult): void {
  assert.ok(r.accepted > 0, 'the load was accepted at all');
  assert.equal(r.lost, 0, `${r.lost} accepted documents were never anchored`);
  assert.equal(r.duplicated, 0, `${r.duplicated} documents were anchored twice`);
  assert.deepEqual(
    Object.keys(r.errorsSeen).filter((k) => / 500\b/.test(k)),
    [],
    'no client saw a 500',
  );
}

describe('faults (SmartBFT)', function () {
  this.timeout(600_000);
  let plan: LoadPlan;

  before(async function () {
    const consensus = (JSON.parse(await readFile(runtimePaths.stateFile, 'utf8')) as { consensus?: string }).consensus;
    assert.equal(consensus, 'bft', `the faults-bft suite needs a SmartBFT network (found ${consensus})`);
    await gateways();
    const issued = await call('qingdao', 'POST', '/api/v1/reports', {
      token: await token('qingdao', 'operator'),
      body: {
        subject: { kind: 'enterprise', uscc: testUscc(`B${runTag}`) },
        reportType: 'publicCreditReport',
        content: { purpose: 'BFT fault suite verification target' },
        validUntil: new Date(Date.now() + 365 * 86_400_000).toISOString(),
        anchor: 'single',
      },
    });
    assert.equal(issued.status, 202, JSON.stringify(issued.body));
    plan = { single: 'qingdao', batch: 'weifang', writes: 'yantai', verify: 'rizhao', jws: issued.body.jws };
    for (let i = 0; i < 120; i++) {
      const v = await call('rizhao', 'POST', '/api/v1/verify', { body: { jws: plan.jws } });
      if (v.body?.valid === true) return;
      await pause(500);
    }
    throw new Error('the verification target never became valid at Rizhao');
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
