import assert from 'node:assert/strict';
import { common, msp } from '@hyperledger/fabric-protos';
import { CITIES, type City } from '@jcc/domain';
import { cityEndorsementPolicy, ownerEndorsementPolicy } from './endorsementPolicy.js';

/** A decoded signature policy rule, with identities replaced by their MSP ids. */
type Rule = { signedBy: string } | { n: number; rules: Rule[] };

/** Decodes envelope bytes with the protobuf classes, independently of the code under test. */
function decode(bytes: Uint8Array): { version: number; identities: { mspId: string; role: number }[]; rule: Rule } {
  const envelope = common.SignaturePolicyEnvelope.deserializeBinary(bytes);
  const identities = envelope.getIdentitiesList().map((principal) => {
    assert.equal(principal.getPrincipalClassification(), msp.MSPPrincipal.Classification.ROLE);
    const role = msp.MSPRole.deserializeBinary(principal.getPrincipal_asU8());
    return { mspId: role.getMspIdentifier(), role: role.getRole() };
  });
  const toRule = (policy: common.SignaturePolicy): Rule => {
    if (policy.getTypeCase() === common.SignaturePolicy.TypeCase.SIGNED_BY) {
      const identity = identities[policy.getSignedBy()];
      assert.ok(identity, `signed_by ${policy.getSignedBy()} names an identity of the envelope`);
      return { signedBy: identity.mspId };
    }
    assert.equal(policy.getTypeCase(), common.SignaturePolicy.TypeCase.N_OUT_OF);
    const nOutOf = policy.getNOutOf() as common.SignaturePolicy.NOutOf;
    return { n: nOutOf.getN(), rules: nOutOf.getRulesList().map(toRule) };
  };
  const rule = envelope.getRule();
  assert.ok(rule, 'the envelope has a rule');
  return { version: envelope.getVersion(), identities, rule: toRule(rule) };
}

/** Whether peers of the organisations in `signers` satisfy `rule`. */
function satisfied(rule: Rule, signers: ReadonlySet<string>): boolean {
  if ('signedBy' in rule) return signers.has(rule.signedBy);
  return rule.rules.filter((r) => satisfied(r, signers)).length >= rule.n;
}

/** Every subset of the five cities' MSP ids. */
function allSignerSets(): Set<string>[] {
  const sets: Set<string>[] = [];
  for (let mask = 0; mask < 1 << CITIES.length; mask++) {
    sets.push(new Set(CITIES.filter((_, i) => mask & (1 << i)).map((c) => c.mspId)));
  }
  return sets;
}

describe('key-level endorsement policy', () => {
  for (const owner of CITIES) {
    const others = CITIES.filter((c) => c.id !== owner.id);

    it(`decodes, for ${owner.id}, to AND(${owner.mspId}.peer, OutOf(1, the four others' peers))`, () => {
      const decoded = decode(ownerEndorsementPolicy(owner));
      assert.equal(decoded.version, 0);
      assert.deepEqual(
        decoded.identities,
        [owner, ...others].map((c) => ({ mspId: c.mspId, role: msp.MSPRole.MSPRoleType.PEER })),
      );
      assert.deepEqual(decoded.rule, {
        n: 2,
        rules: [{ signedBy: owner.mspId }, { n: 1, rules: others.map((c) => ({ signedBy: c.mspId })) }],
      });
    });

    it(`is satisfied for ${owner.id} exactly when its peer and at least one other city's peer endorse`, () => {
      const { rule } = decode(ownerEndorsementPolicy(owner));
      for (const signers of allSignerSets()) {
        const expected = signers.has(owner.mspId) && signers.size >= 2;
        assert.equal(satisfied(rule, signers), expected, `signers ${[...signers].join(',') || '(none)'}`);
      }
    });
  }

  it('gives each city its own policy, and the cached policy equals a fresh one', () => {
    const encoded = CITIES.map((c) => Buffer.from(cityEndorsementPolicy(c)).toString('hex'));
    assert.equal(new Set(encoded).size, CITIES.length);
    for (const city of CITIES) assert.deepEqual(cityEndorsementPolicy(city), ownerEndorsementPolicy(city));
  });

  it('refuses an owner outside the consortium and a consortium of one', () => {
    const stranger: City = { id: 'qingdao', name: 'X', nameZh: 'X', divisionCode: '000000', mspId: 'StrangerMSP', gatewayPort: 1 };
    assert.throws(() => ownerEndorsementPolicy(stranger), RangeError);
    assert.throws(() => ownerEndorsementPolicy(CITIES[0] as City, [CITIES[0] as City]), RangeError);
  });
});
