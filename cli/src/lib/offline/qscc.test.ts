import assert from 'node:assert/strict';
import { common, msp, peer } from '@hyperledger/fabric-protos';
import { decodeBlockNumber, decodeProcessedTransaction } from './qscc.js';

/** Builds the bytes qscc GetTransactionByID returns for a chaincode invocation. */
function processedTransaction(mspId: string, fn: string, input: unknown, validationCode: number): Uint8Array {
  const args = new peer.ChaincodeInput();
  args.setArgsList([Buffer.from(fn), Buffer.from(JSON.stringify(input))]);
  const id = new peer.ChaincodeID();
  id.setName('creditchain');
  const spec = new peer.ChaincodeSpec();
  spec.setChaincodeId(id);
  spec.setInput(args);
  const invocation = new peer.ChaincodeInvocationSpec();
  invocation.setChaincodeSpec(spec);
  const proposalPayload = new peer.ChaincodeProposalPayload();
  proposalPayload.setInput(invocation.serializeBinary());
  const actionPayload = new peer.ChaincodeActionPayload();
  actionPayload.setChaincodeProposalPayload(proposalPayload.serializeBinary());
  const action = new peer.TransactionAction();
  action.setPayload(actionPayload.serializeBinary());
  const transaction = new peer.Transaction();
  transaction.setActionsList([action]);

  const creator = new msp.SerializedIdentity();
  creator.setMspid(mspId);
  creator.setIdBytes(Buffer.from('-----BEGIN CERTIFICATE-----'));
  const signatureHeader = new common.SignatureHeader();
  signatureHeader.setCreator(creator.serializeBinary());
  const channelHeader = new common.ChannelHeader();
  channelHeader.setType(common.HeaderType.ENDORSER_TRANSACTION);
  channelHeader.setTxId('tx-1');
  const header = new common.Header();
  header.setChannelHeader(channelHeader.serializeBinary());
  header.setSignatureHeader(signatureHeader.serializeBinary());
  const payload = new common.Payload();
  payload.setHeader(header);
  payload.setData(transaction.serializeBinary());
  const envelope = new common.Envelope();
  envelope.setPayload(payload.serializeBinary());
  const processed = new peer.ProcessedTransaction();
  processed.setTransactionenvelope(envelope);
  processed.setValidationcode(validationCode);
  return processed.serializeBinary();
}

describe('qscc answers', () => {
  it('decodes submitter, transaction name and JSON input of a processed transaction', () => {
    const bytes = processedTransaction('QingdaoMSP', 'reports:AnchorBatch', { batchId: 'b-1', root: 'f'.repeat(64) }, 0);
    const tx = decodeProcessedTransaction(bytes);
    assert.deepEqual(tx, {
      validationCode: 0,
      creatorMspId: 'QingdaoMSP',
      chaincode: 'creditchain',
      fn: 'reports:AnchorBatch',
      input: { batchId: 'b-1', root: 'f'.repeat(64) },
    });
  });

  it('keeps the validation code of an invalidated transaction', () => {
    assert.equal(decodeProcessedTransaction(processedTransaction('YantaiMSP', 'reports:AnchorBatch', {}, 11)).validationCode, 11);
  });

  it('reads the number of a block', () => {
    const header = new common.BlockHeader();
    header.setNumber(42);
    const block = new common.Block();
    block.setHeader(header);
    assert.equal(decodeBlockNumber(block.serializeBinary()), 42);
  });
});
