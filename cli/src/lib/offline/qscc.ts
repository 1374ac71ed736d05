import { common, msp, peer } from '@hyperledger/fabric-protos';
import type { AnchorTransaction } from './ledger.js';

/**
 * Decodes the answer of qscc `GetTransactionByID` (a `ProcessedTransaction`)
 * into what verification needs: validation code, submitter MSP, chaincode,
 * transaction name and its (single, JSON) input argument.
 *
 * @throws Error when the bytes are not an endorser transaction invoking a chaincode.
 */
export function decodeProcessedTransaction(bytes: Uint8Array): AnchorTransaction {
  const processed = peer.ProcessedTransaction.deserializeBinary(bytes);
  const envelope = processed.getTransactionenvelope();
  if (!envelope) throw new Error('the processed transaction has no envelope');
  const payload = common.Payload.deserializeBinary(envelope.getPayload_asU8());
  const header = payload.getHeader();
  if (!header) throw new Error('the transaction has no header');
  const channelHeader = common.ChannelHeader.deserializeBinary(header.getChannelHeader_asU8());
  if (channelHeader.getType() !== common.HeaderType.ENDORSER_TRANSACTION) throw new Error('not an endorser transaction');
  const signatureHeader = common.SignatureHeader.deserializeBinary(header.getSignatureHeader_asU8());
  const creator = msp.SerializedIdentity.deserializeBinary(signatureHeader.getCreator_asU8());
  const transaction = peer.Transaction.deserializeBinary(payload.getData_asU8());
  const action = transaction.getActionsList()[0];
  if (!action) throw new Error('the transaction has no action');
  const actionPayload = peer.ChaincodeActionPayload.deserializeBinary(action.getPayload_asU8());
  const proposalPayload = peer.ChaincodeProposalPayload.deserializeBinary(actionPayload.getChaincodeProposalPayload_asU8());
  const invocation = peer.ChaincodeInvocationSpec.deserializeBinary(proposalPayload.getInput_asU8());
  const spec = invocation.getChaincodeSpec();
  const args = spec?.getInput()?.getArgsList_asU8() ?? [];
  const text = (b: Uint8Array | undefined): string => (b ? Buffer.from(b).toString('utf8') : '');
  const inputText = text(args[1]);
  let input: unknown = inputText;
  try {
    input = JSON.parse(inputText);
  } catch {
    // keep the raw text
  }
  return {
    validationCode: processed.getValidationcode(),
    creatorMspId: creator.getMspid(),
    chaincode: spec?.getChaincodeId()?.getName() ?? '',
    fn: text(args[0]),
    input,
  };
}

/** The number of a block, from the bytes of qscc `GetBlockByTxID`. */
export function decodeBlockNumber(bytes: Uint8Array): number {
  const header = common.Block.deserializeBinary(bytes).getHeader();
  if (!header) throw new Error('the block has no header');
  return header.getNumber();
}
