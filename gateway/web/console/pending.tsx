/** Pending work (待办): objections awaiting an answer, agreements proposed to this city, failed webhook deliveries. */
import { useState } from 'preact/hooks';
import { DeliveriesSection } from './deliveries.js';
import { ListFooter, Notice, usePaged } from './components.js';
import { label, useConsole } from './context.js';
import { AnswerDialog, ObjectionsTable, type ObjectionRecord } from './objections.js';
import { AgreementsTable, type Agreement } from './recognition.js';

/** The pending-work tab. */
export function PendingView() {
  const { lang, city } = useConsole();
  const objections = usePaged<ObjectionRecord>('/api/v1/objections', { state: 'pending', pageSize: '50' });
  const agreements = usePaged<Agreement>('/api/v1/agreements', { pageSize: '200' });
  const proposals = agreements.records.filter((a) => a.state === 'proposed' && a.counterparty === city);
  const [answering, setAnswering] = useState<ObjectionRecord | undefined>();
  const [notice, setNotice] = useState<string | undefined>();
  const overdue = objections.records.filter((o) => o.overdue).length;
  return (
    <>
      <p class="intro">{label(lang, 'pendingIntro')}</p>
      <div class="summary-tiles" data-testid="pending-summary">
        <div class="tile" data-testid="pending-objections-count">
          <span class="tile-number">{objections.records.length}</span>
          <span class="tile-label">{label(lang, 'pendingObjections')}</span>
          {overdue ? <span class="tile-alert">{`${overdue} ${label(lang, 'overdue')}`}</span> : null}
        </div>
        <div class="tile" data-testid="pending-proposals-count">
          <span class="tile-number">{proposals.length}</span>
          <span class="tile-label">{label(lang, 'pendingProposals')}</span>
        </div>
      </div>
      <section class="card" aria-labelledby="pending-objections-title">
        <h2 id="pending-objections-title">{label(lang, 'pendingObjections')}</h2>
        {objections.records.length || objections.loading ? (
          <ObjectionsTable records={objections.records} onAnswer={setAnswering} testid="pending-objections" />
        ) : (
          <p class="hint">{label(lang, 'nothingPending')}</p>
        )}
        <ListFooter list={objections as never} testid="pending-objections" />
        <Notice message={notice} testid="pending" />
      </section>
      <section class="card" aria-labelledby="pending-proposals-title">
        <h2 id="pending-proposals-title">{label(lang, 'pendingProposals')}</h2>
        <AgreementsTable records={proposals} testid="pending-proposals" />
        {proposals.length || agreements.loading ? null : <p class="hint">{label(lang, 'nothingPending')}</p>}
      </section>
      <DeliveriesSection />
      {answering ? (
        <AnswerDialog
          objection={answering}
          onClose={() => setAnswering(undefined)}
          onDone={(m) => {
            setAnswering(undefined);
            setNotice(m);
          }}
        />
      ) : null}
    </>
  );
}
