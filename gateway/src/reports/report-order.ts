import type { StoredDocument } from '../store/documents.js';
import type { Store } from '../store/store.js';
import type { Table, WriteOp } from '../store/table.js';

/** Version of the order table's layout; a store without it is back-filled once. */
const ORDER_VERSION = 1;

/**
 * The sort indexes of the documents this gateway issued (they live in this
 * gateway's store, not on the ledger): `t|<issuedAt>|<id>` (newest first,
 * read in reverse) and `s:<subject pseudonym>|<id>` (a subject's documents),
 * each → the document id. Written in the same atomic write as the document
 * (see the issuer).
 */
export function reportOrderTable(store: Store): Table<string> {
  return store.table('lists.reportOrder');
}

/** The order keys of a document. */
export function reportOrderKeys(doc: Pick<StoredDocument, 'id' | 'issuedAt' | 'subjectPseudonym'>): string[] {
  return [`t|${doc.issuedAt}|${doc.id}`, `s:${doc.subjectPseudonym}|${doc.id}`];
}

/** The writes that put a new document into the order table (commit them with the document). */
export function reportOrderOps(store: Store, doc: Pick<StoredDocument, 'id' | 'issuedAt' | 'subjectPseudonym'>): WriteOp[] {
  const table = reportOrderTable(store);
  return reportOrderKeys(doc).map((key) => table.putOp(key, doc.id));
}

const backfills = new WeakMap<Store, Promise<void>>();

/**
 * Makes sure the order table covers the documents issued before it existed:
 * once per store, reads every stored document and writes its order keys
 * (idempotent), then records the layout version.
 */
export function ensureReportOrder(store: Store, documents: Table<StoredDocument>): Promise<void> {
  let done = backfills.get(store);
  if (!done) {
    done = (async () => {
      const meta = store.table<number>('lists.meta');
      if ((await meta.get('reportOrder')) === ORDER_VERSION) return;
      const table = reportOrderTable(store);
      const ops: WriteOp[] = [];
      for await (const [, doc] of documents.entries()) {
        for (const key of reportOrderKeys(doc)) ops.push(table.putOp(key, doc.id));
        if (ops.length >= 5000) await store.write(ops.splice(0));
      }
      ops.push(meta.putOp('reportOrder', ORDER_VERSION));
      await store.write(ops);
    })();
    backfills.set(store, done);
    done.catch(() => backfills.delete(store));
  }
  return done;
}
