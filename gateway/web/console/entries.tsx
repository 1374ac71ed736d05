/** List entries (联合奖惩名单): put a subject on a list; list this city's entries; remove, repair, register objections. */
import { useState } from 'preact/hooks';
import { newIdempotencyKey, request } from '../shared/api.js';
import { Instant } from '../shared/time.js';
import {
  Badge,
  Dialog,
  ListFooter,
  Notice,
  Outcome,
  SelectField,
  TextArea,
  TextField,
  chinaDate,
  useAction,
  usePaged,
} from './components.js';
import { label, useConsole, valueLabel } from './context.js';
import { SubjectFields, subjectBody, type SubjectValue } from './subject.js';

const LIST_TYPES = ['red', 'black', 'keySupervision'];
const STATUSES = ['listed', 'expired', 'repaired', 'objectionUpheld', 'courtDecision'];
const REMOVAL_REASONS = ['expired', 'courtDecision', 'objectionUpheld'];

/** A list entry as `GET /api/v1/list-entries` answers it. */
export interface EntryRecord {
  city: string;
  id: string;
  listType: string;
  startDate: string;
  endDate?: string;
  state: 'listed' | 'removed';
  status: string;
  createdAt: string;
  blockNumber: number;
}

function CreateEntryForm() {
  const { lang, session } = useConsole();
  const action = useAction();
  const [subject, setSubject] = useState<SubjectValue>({ kind: 'enterprise', id: '' });
  const [listType, setListType] = useState('black');
  const [legalBasis, setLegalBasis] = useState('');
  const [measures, setMeasures] = useState('');
  const [startDate, setStartDate] = useState(chinaDate());
  const [endDate, setEndDate] = useState('');
  const submit = (e: Event) => {
    e.preventDefault();
    void action.run(async () => {
      const entry = await request<{ id: string; txId: string }>('/api/v1/list-entries', {
        token: session.token,
        idempotencyKey: newIdempotencyKey(),
        body: {
          subject: subjectBody(subject),
          listType,
          legalBasis,
          measures: measures
            .split('\n')
            .map((m) => m.trim())
            .filter(Boolean),
          startDate,
          ...(endDate ? { endDate } : {}),
        },
      });
      return label(lang, 'entryCreated', { id: entry.id, tx: entry.txId.slice(0, 12) });
    });
  };
  return (
    <form class="card form" onSubmit={submit} aria-labelledby="entry-create-title" data-testid="entry-form" noValidate>
      <h2 id="entry-create-title">{label(lang, 'entryCreateTitle')}</h2>
      <SubjectFields
        prefix="entry"
        value={subject}
        onInput={setSubject}
        error={action.fieldError('uscc') ?? action.fieldError('idNumber')}
      />
      <SelectField
        id="entry-list-type"
        label={label(lang, 'listType')}
        value={listType}
        onInput={setListType}
        options={LIST_TYPES.map((v) => ({ value: v, label: valueLabel(lang, v) }))}
      />
      <TextArea
        id="entry-legal-basis"
        label={label(lang, 'legalBasis')}
        hint={label(lang, 'legalBasisHint')}
        value={legalBasis}
        onInput={setLegalBasis}
        error={action.fieldError('legalBasis')}
        required
      />
      <TextArea
        id="entry-measures"
        label={label(lang, 'measures')}
        value={measures}
        onInput={setMeasures}
        error={action.fieldError('measures')}
        required
        rows={3}
      />
      <div class="field-row">
        <TextField
          id="entry-start"
          type="date"
          label={label(lang, 'startDate')}
          value={startDate}
          onInput={setStartDate}
          error={action.fieldError('startDate')}
          required
        />
        <TextField
          id="entry-end"
          type="date"
          label={label(lang, 'endDate')}
          value={endDate}
          onInput={setEndDate}
          error={action.fieldError('endDate')}
        />
      </div>
      <div class="actions">
        <button type="submit" class="primary" disabled={action.busy} data-testid="entry-submit">
          {label(lang, 'create')}
        </button>
      </div>
      <Outcome action={action} testid="entry" />
    </form>
  );
}

type EntryAction = 'remove' | 'repair' | 'objection';

function EntryDialog({
  entry,
  mode,
  onClose,
  onDone,
}: {
  entry: EntryRecord;
  mode: EntryAction;
  onClose(): void;
  onDone(m: string): void;
}) {
  const { lang, session } = useConsole();
  const action = useAction();
  const [reason, setReason] = useState('expired');
  const [note, setNote] = useState('');
  const [evidence, setEvidence] = useState('');
  const submit = async (e: Event) => {
    e.preventDefault();
    const done = await action.run(async () => {
      if (mode === 'objection') {
        const objection = await request<{ objectionId: string }>(
          `/api/v1/list-entries/${encodeURIComponent(entry.city)}/${encodeURIComponent(entry.id)}/objections`,
          { token: session.token, idempotencyKey: newIdempotencyKey(), body: { grounds: note } },
        );
        return label(lang, 'objectionRaised', { id: objection.objectionId });
      }
      const removalReason = mode === 'repair' ? 'creditRepair' : reason;
      await request(`/api/v1/list-entries/${encodeURIComponent(entry.id)}/removal`, {
        token: session.token,
        idempotencyKey: newIdempotencyKey(),
        body: { reason: removalReason, note, ...(evidence.trim() ? { evidence } : {}) },
      });
      return label(lang, 'removed', { id: entry.id, reason: valueLabel(lang, removalReason) });
    });
    if (done) onDone(done);
  };
  const title = mode === 'remove' ? 'removeTitle' : mode === 'repair' ? 'repairTitle' : 'objectionTitle';
  return (
    <Dialog title={label(lang, title, { id: entry.id })} testid={`entry-${mode}-dialog`} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        {mode === 'remove' ? (
          <SelectField
            id="removal-reason"
            label={label(lang, 'removalReason')}
            value={reason}
            onInput={setReason}
            options={REMOVAL_REASONS.map((v) => ({ value: v, label: valueLabel(lang, v) }))}
          />
        ) : null}
        <TextArea
          id={`entry-${mode}-note`}
          label={label(lang, mode === 'objection' ? 'grounds' : 'note')}
          hint={label(lang, mode === 'objection' ? 'groundsHint' : 'noteHint')}
          value={note}
          onInput={setNote}
          error={action.fieldError(mode === 'objection' ? 'grounds' : 'note')}
          required
        />
        {mode !== 'objection' ? (
          <TextArea
            id={`entry-${mode}-evidence`}
            label={label(lang, 'evidence')}
            hint={label(lang, 'evidenceHint')}
            value={evidence}
            onInput={setEvidence}
            rows={2}
          />
        ) : null}
        <Outcome action={action} testid={`entry-${mode}`} />
        <div class="actions">
          <button
            type="submit"
            class={mode === 'remove' ? 'primary danger' : 'primary'}
            disabled={action.busy}
            data-testid={`entry-${mode}-confirm`}
          >
            {label(lang, 'confirm')}
          </button>
          <button type="button" class="secondary" onClick={onClose}>
            {label(lang, 'cancel')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function EntriesList() {
  const { lang } = useConsole();
  const [type, setType] = useState('');
  const [status, setStatus] = useState('');
  const [notice, setNotice] = useState<string | undefined>();
  const list = usePaged<EntryRecord>('/api/v1/list-entries', { type, status, pageSize: '20' });
  const [acting, setActing] = useState<{ entry: EntryRecord; mode: EntryAction } | undefined>();
  return (
    <section class="card" aria-labelledby="entries-title">
      <div class="card-head">
        <h2 id="entries-title">{label(lang, 'entriesTitle')}</h2>
        <div class="filters">
          <SelectField
            id="entries-type"
            label={label(lang, 'listType')}
            value={type}
            onInput={setType}
            options={[{ value: '', label: label(lang, 'any') }, ...LIST_TYPES.map((v) => ({ value: v, label: valueLabel(lang, v) }))]}
          />
          <SelectField
            id="entries-status"
            label={label(lang, 'filterStatus')}
            value={status}
            onInput={setStatus}
            options={[{ value: '', label: label(lang, 'any') }, ...STATUSES.map((v) => ({ value: v, label: valueLabel(lang, v) }))]}
          />
        </div>
      </div>
      <div class="table-scroll">
        <table class="records" data-testid="entries-table">
          <thead>
            <tr>
              <th scope="col">{label(lang, 'colEntry')}</th>
              <th scope="col">{label(lang, 'colStatus')}</th>
              <th scope="col">{label(lang, 'colStart')}</th>
              <th scope="col">{label(lang, 'colCreated')}</th>
              <th scope="col">{label(lang, 'colActions')}</th>
            </tr>
          </thead>
          <tbody>
            {list.records.map((e) => (
              <tr key={`${e.city}/${e.id}`} data-testid={`entry-${e.id}`} data-status={e.status}>
                <td>
                  <div class="record-name">
                    <Badge value={e.listType} text={valueLabel(lang, e.listType)} />
                    <code class="record-id">{e.id}</code>
                  </div>
                </td>
                <td>
                  <Badge value={e.status} text={valueLabel(lang, e.status)} />
                </td>
                <td class="nowrap">
                  {e.startDate} – {e.endDate ?? '…'}
                </td>
                <td>
                  <Instant iso={e.createdAt} lang={lang} />
                </td>
                <td class="row-actions">
                  {e.state === 'listed' ? (
                    <>
                      <button
                        type="button"
                        class="secondary small"
                        onClick={() => setActing({ entry: e, mode: 'repair' })}
                        data-testid={`repair-${e.id}`}
                      >
                        {label(lang, 'repair')}
                      </button>
                      <button
                        type="button"
                        class="secondary small"
                        onClick={() => setActing({ entry: e, mode: 'remove' })}
                        data-testid={`remove-${e.id}`}
                      >
                        {label(lang, 'remove')}
                      </button>
                      <button
                        type="button"
                        class="secondary small"
                        onClick={() => setActing({ entry: e, mode: 'objection' })}
                        data-testid={`object-${e.id}`}
                      >
                        {label(lang, 'raiseObjection')}
                      </button>
                    </>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ListFooter list={list as never} testid="entries" />
      <Notice message={notice} testid="entries" />
      {acting ? (
        <EntryDialog
          entry={acting.entry}
          mode={acting.mode}
          onClose={() => setActing(undefined)}
          onDone={(m) => {
            setActing(undefined);
            setNotice(m);
          }}
        />
      ) : null}
    </section>
  );
}

/** The list-entries tab. */
export function EntriesView() {
  return (
    <>
      <CreateEntryForm />
      <EntriesList />
    </>
  );
}
