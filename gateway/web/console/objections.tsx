/** Objections (异议) to this city's list entries: the list with deadlines, and the answer dialog. */
import { useState } from 'preact/hooks';
import { newIdempotencyKey, request } from '../shared/api.js';
import { cityName } from '../shared/i18n.js';
import { Instant } from '../shared/time.js';
import { Badge, Dialog, ListFooter, Notice, Outcome, RadioGroup, SelectField, TextArea, useAction, usePaged } from './components.js';
import { label, useConsole, valueLabel } from './context.js';

/** An objection as `GET /api/v1/objections` answers it. */
export interface ObjectionRecord {
  city: string;
  objectionId: string;
  entryCity: string;
  entryId: string;
  registeredAt: string;
  state: 'pending' | 'answered';
  deadline: string;
  overdue: boolean;
  answer?: { outcome: string; answeredAt: string };
}

/** The dialog answering one objection: upheld (removes the entry) or rejected, with a note. */
export function AnswerDialog({ objection, onClose, onDone }: { objection: ObjectionRecord; onClose(): void; onDone(m: string): void }) {
  const { lang, session } = useConsole();
  const action = useAction();
  const [outcome, setOutcome] = useState('rejected');
  const [note, setNote] = useState('');
  const [answer, setAnswer] = useState('');
  const submit = async (e: Event) => {
    e.preventDefault();
    const done = await action.run(async () => {
      await request(`/api/v1/objections/${encodeURIComponent(objection.city)}/${encodeURIComponent(objection.objectionId)}/answer`, {
        token: session.token,
        idempotencyKey: newIdempotencyKey(),
        body: { outcome, note, ...(answer.trim() ? { answer } : {}) },
      });
      return label(lang, 'answered', { id: objection.objectionId, outcome: valueLabel(lang, outcome) });
    });
    if (done) onDone(done);
  };
  return (
    <Dialog title={label(lang, 'answerTitle', { id: objection.objectionId })} testid="answer-dialog" onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <p class="hint">
          {label(lang, 'colEntry')}: <code>{objection.entryId}</code> · {label(lang, 'colDeadline')}:{' '}
          <Instant iso={objection.deadline} lang={lang} />
        </p>
        <RadioGroup
          id="answer-outcome"
          legend={label(lang, 'outcome')}
          value={outcome}
          onInput={setOutcome}
          options={[
            { value: 'rejected', label: valueLabel(lang, 'rejected') },
            { value: 'upheld', label: valueLabel(lang, 'upheld') },
          ]}
        />
        <TextArea
          id="answer-note"
          label={label(lang, 'note')}
          hint={label(lang, 'noteHint')}
          value={note}
          onInput={setNote}
          error={action.fieldError('note')}
          required
        />
        <TextArea id="answer-full" label={label(lang, 'answerFull')} value={answer} onInput={setAnswer} rows={3} />
        <Outcome action={action} testid="answer" />
        <div class="actions">
          <button type="submit" class="primary" disabled={action.busy} data-testid="answer-confirm">
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

/** A table of objections with their deadlines and an answer button for pending ones. */
export function ObjectionsTable({
  records,
  onAnswer,
  testid,
}: {
  records: ObjectionRecord[];
  onAnswer(o: ObjectionRecord): void;
  testid: string;
}) {
  const { lang } = useConsole();
  return (
    <div class="table-scroll">
      <table class="records" data-testid={testid}>
        <thead>
          <tr>
            <th scope="col">{label(lang, 'colObjection')}</th>
            <th scope="col">{label(lang, 'colEntry')}</th>
            <th scope="col">{label(lang, 'colRegistrar')}</th>
            <th scope="col">{label(lang, 'colRegistered')}</th>
            <th scope="col">{label(lang, 'colDeadline')}</th>
            <th scope="col">{label(lang, 'colState')}</th>
            <th scope="col">{label(lang, 'colActions')}</th>
          </tr>
        </thead>
        <tbody>
          {records.map((o) => {
            const state = o.state === 'answered' ? (o.answer?.outcome ?? 'answered') : o.overdue ? 'overdue' : 'pending';
            return (
              <tr key={`${o.city}/${o.objectionId}`} data-testid={`objection-${o.objectionId}`} data-state={state}>
                <td>
                  <code>{o.objectionId}</code>
                </td>
                <td>
                  <code>{o.entryId}</code>
                </td>
                <td>{cityName(o.city, lang)}</td>
                <td>
                  <Instant iso={o.registeredAt} lang={lang} />
                </td>
                <td>
                  <Instant iso={o.deadline} lang={lang} />
                </td>
                <td>
                  <Badge
                    value={state}
                    text={
                      o.state === 'answered'
                        ? valueLabel(lang, o.answer?.outcome)
                        : o.overdue
                          ? label(lang, 'overdue')
                          : valueLabel(lang, 'pending')
                    }
                  />
                </td>
                <td class="row-actions">
                  {o.state === 'pending' ? (
                    <button type="button" class="primary small" onClick={() => onAnswer(o)} data-testid={`answer-${o.objectionId}`}>
                      {label(lang, 'answer')}
                    </button>
                  ) : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** The objections tab. */
export function ObjectionsView() {
  const { lang } = useConsole();
  const [state, setState] = useState('');
  const [notice, setNotice] = useState<string | undefined>();
  const [answering, setAnswering] = useState<ObjectionRecord | undefined>();
  const list = usePaged<ObjectionRecord>('/api/v1/objections', { state, pageSize: '20' });
  return (
    <section class="card" aria-labelledby="objections-title">
      <div class="card-head">
        <h2 id="objections-title">{label(lang, 'objectionsTitle')}</h2>
        <div class="filters">
          <SelectField
            id="objections-state"
            label={label(lang, 'filterObjectionState')}
            value={state}
            onInput={setState}
            options={[
              { value: '', label: label(lang, 'any') },
              ...['pending', 'overdue', 'answered'].map((v) => ({ value: v, label: valueLabel(lang, v) })),
            ]}
          />
        </div>
      </div>
      <ObjectionsTable records={list.records} onAnswer={setAnswering} testid="objections-table" />
      <ListFooter list={list as never} testid="objections" />
      <Notice message={notice} testid="objections" />
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
    </section>
  );
}
