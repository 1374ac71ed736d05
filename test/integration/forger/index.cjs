/**
 * Test only (never deployed): what two colluding cities could run as their
 * chaincode servers. It serves the genuine contracts (so everything else keeps
 * working) plus `forge`, whose transactions write in another city's name with
 * no owner check, emitting the events the genuine chaincode would.
 */
/* eslint-disable @typescript-eslint/no-require-imports, no-undef -- a CommonJS chaincode module, as fabric-chaincode-node loads it */
'use strict';
const { createHash } = require('node:crypto');
const { Contract } = require('fabric-contract-api');
const genuine = require('../../../chaincode/dist/index.js');

const encoder = new TextEncoder();
/** The seal collection of a city, as @jcc/domain names it (keysetQingdao, ...). */
const keySetCollection = (city) => `keyset${city.charAt(0).toUpperCase()}${city.slice(1)}`;
const encode = (value) => encoder.encode(JSON.stringify(value));

class ForgeContract extends Contract {
  constructor() {
    super('forge');
  }

  /**
   * Writes a key record {city, kid, jwk, ...} in the named city's namespace; with `keySet` that city's key set
   * (listing the key with `thumbprint`); with `seal` the key set's seal (the SHA-256 of its bytes, private data in
   * the city's collection, under `sealKey`, default the key set's own key, where the genuine chaincode seals it).
   */
  async ForgeKey(ctx, inputJson) {
    const input = JSON.parse(inputJson);
    const txId = ctx.stub.getTxID();
    const at = new Date(ctx.stub.getTxTimestamp().seconds.toNumber() * 1000).toISOString();
    const record = {
      city: input.city,
      kid: input.jwk.kid,
      use: 'document',
      jwk: input.jwk,
      validFrom: input.validFrom,
      registeredAt: at,
      txId,
    };
    await ctx.stub.putState(ctx.stub.createCompositeKey('cityKey', [input.city, input.jwk.kid]), encode(record));
    const keySet = {
      city: input.city,
      keys: { [input.jwk.kid]: input.thumbprint },
      approvedIdentities: {},
      revokedIdentities: {},
      updatedAt: at,
      txId,
    };
    const keySetKey = ctx.stub.createCompositeKey('cityKeySet', [input.city]);
    if (input.keySet) await ctx.stub.putState(keySetKey, encode(keySet));
    if (input.seal) {
      const digest = createHash('sha256').update(encode(keySet)).digest();
      await ctx.stub.putPrivateData(keySetCollection(input.city), input.sealKey || keySetKey, digest);
    }
    ctx.stub.setEvent('CityKeyRegistered', encode(record));
    return JSON.stringify(record);
  }

  /**
   * Creates a chunk of evaluations in the named city's name, under `chunkId` (the id the city's own
   * recording of `rows` would get), with the event the genuine chaincode emits.
   */
  async CreateEvaluationChunk(ctx, inputJson) {
    const input = JSON.parse(inputJson);
    const at = new Date(ctx.stub.getTxTimestamp().seconds.toNumber() * 1000).toISOString();
    const { city, chunkId, ...content } = input;
    const chunk = {
      ...content,
      city,
      chunkId,
      leafScheme: 'rfc9162-sha256/v1',
      count: content.rows.length,
      recordedAt: at,
      txId: ctx.stub.getTxID(),
    };
    await ctx.stub.putState(ctx.stub.createCompositeKey('evaluationChunk', [city, chunkId]), encode(chunk));
    ctx.stub.setEvent('EvaluationChunkRecorded', encode({ chunkId, count: chunk.count, recordedAt: at, city, txId: chunk.txId }));
    return JSON.stringify(chunk);
  }

  /** Creates a status record (revoked) for the named city's document `id`, with the event the genuine chaincode emits. */
  async RevokeInName(ctx, inputJson) {
    const input = JSON.parse(inputJson);
    const at = new Date(ctx.stub.getTxTimestamp().seconds.toNumber() * 1000).toISOString();
    const record = { city: input.city, id: input.id, status: 'revoked', reasonHash: input.reasonHash, at, txId: ctx.stub.getTxID() };
    await ctx.stub.putState(ctx.stub.createCompositeKey('documentStatus', [input.city, input.id]), encode(record));
    ctx.stub.setEvent('DocumentRevoked', encode(record));
    return JSON.stringify(record);
  }

  /**
   * Creates any record in the named city's name: `record` (its `txId` set to this transaction) under the
   * composite key `objectType`/`attributes`, with the event `eventName` the genuine chaincode would emit.
   */
  async CreateInName(ctx, inputJson) {
    const input = JSON.parse(inputJson);
    const record = { ...input.record, txId: ctx.stub.getTxID() };
    await ctx.stub.putState(ctx.stub.createCompositeKey(input.objectType, input.attributes), encode(record));
    ctx.stub.setEvent(input.eventName, encode(record));
    return JSON.stringify(record);
  }

  /** Rewrites (its count changed) or, with `delete`, deletes the named city’s evaluation chunk. */
  async ForgeEvaluationChunk(ctx, inputJson) {
    const input = JSON.parse(inputJson);
    const key = ctx.stub.createCompositeKey('evaluationChunk', [input.city, input.chunkId]);
    if (input.delete) {
      await ctx.stub.deleteState(key);
      return '{}';
    }
    const chunk = JSON.parse(Buffer.from(await ctx.stub.getState(key)).toString('utf8'));
    chunk.count = input.count;
    await ctx.stub.putState(key, encode(chunk));
    return JSON.stringify(chunk);
  }
}

module.exports = { contracts: [...genuine.contracts, ForgeContract] };
