/** Recognition (互认): agreements between cities (propose, accept, end) and decisions on other cities' documents. */
import { useState } from 'preact/hooks';
import { newIdempotencyKey, request } from '../shared/api.js';
import { CITY_LIST, cityName } from '../shared/i18n.js';
import { Instant } from '../shared/time.js';
import {
  TextField,
  TextArea,
  SelectField,
  RadioGroup,
  CheckboxGroup,
  useAction,
  Outcome,
  Dialog,
  usePaged,
  ListFooter,
  Badge,
  chinaDate,
  endOfChinaDay,
  startOfChinaDay,
  Notice,
  FormActions,
  RowButton,
  RecordsTable,
  useActing,
} from './components.js';
import { label, useConsole, valueLabel } from './context.js';

const DOC_TYPES = ['creditReport', 'evaluation', 'listEntry', 'agencyFiling'];

/** An agreement as the ledger holds it. */
export interface Agreement {
  agreementId: string;
  proposer: string;
  counterparty: string;
  docTypes: string[];
  validFrom: string;
  validTo: string;
  state: 'proposed' | 'active' | 'ended';
  proposedAt: string;
  acceptedAt?: string;
  endedAt?: string;
  /** Salted SHA-256 of the reason for ending (the text is held by the gateway of the city that ended it). */
  endReasonHash?: string;
}

interface Recognition {
  city: string;
  issuerCity: string;
  documentId: string;
  decision: string;
  /** The reason: its text (kept off the ledger, read from the recognising city's gateway), or which city holds it. */
  text?: { reason?: { text?: string; heldBy?: string } };
  recordedAt: string;
}

/** A recognition decision's label (接受 / 不接受). */
function decisionLabel(lang: 'zh' | 'en', decision: string): string {
  if (decision === 'rejected') return lang === 'zh' ? '不接受' : 'rejected';
  return valueLabel(lang, decision);
}

function ProposeForm() {
  const { lang, session, city } = useConsole();
  const action = useAction();
  const others = CITY_LIST.filter((c) => c.id !== city);
  const [counterparty, setCounterparty] = useState<string>(others[0]?.id ?? '');
  const [docTypes, setDocTypes] = useState<string[]>(['creditReport']);
  const [validFrom, setValidFrom] = useState(chinaDate());
  const [validTo, setValidTo] = useState(chinaDate(3 * 365));
  const submit = (e: Event) => {
    e.preventDefault();
    void action.run(async () => {
      const agreement = await request<Agreement>('/api/v1/agreements', {
        token: session.token,
        idempotencyKey: newIdempotencyKey(),
        body: { counterparty, docTypes, validFrom: startOfChinaDay(validFrom), validTo: endOfChinaDay(validTo) },
      });
      return label(lang, 'proposed', { id: agreement.agreementId, city: cityName(counterparty, lang) });
    });
  };
  return (
    <form class="card form" onSubmit={submit} aria-labelledby="propose-title" data-testid="propose-form" noValidate>
      <h2 id="propose-title">{label(lang, 'proposeTitle')}</h2>
      <SelectField
        id="propose-counterparty"
        label={label(lang, 'counterparty')}
        value={counterparty}
        onInput={setCounterparty}
        options={others.map((c) => ({ value: c.id, label: cityName(c.id, lang) }))}
      />
      <CheckboxGroup
        id="propose-doc-types"
        legend={label(lang, 'docTypes')}
        values={docTypes}
        onInput={setDocTypes}
        options={DOC_TYPES.map((v) => ({ value: v, label: valueLabel(lang, v) }))}
      />
      <div class="field-row">
        <TextField
          id="propose-from"
          type="date"
          label={label(lang, 'validFrom')}
          value={validFrom}
          onInput={setValidFrom}
          error={action.fieldError('validFrom')}
          required
        />
        <TextField
          id="propose-to"
          type="date"
          label={label(lang, 'validTo')}
          value={validTo}
          onInput={setValidTo}
          error={action.fieldError('validTo')}
          required
        />
      </div>
      <FormActions busy={action.busy} text={label(lang, 'propose')} testid="propose-submit" />
      <Outcome action={action} testid="propose" />
    </form>
  );
}

function EndDialog({ agreement, onClose, onDone }: { agreement: Agreement; onClose(): void; onDone(m: string): void }) {
  const { lang, session } = useConsole();
  const action = useAction();
  const [reason, setReason] = useState('');
  const submit = async (e: Event) => {
    e.preventDefault();
    const done = await action.run(async () => {
      await request(`/api/v1/agreements/${encodeURIComponent(agreement.agreementId)}/end`, {
        token: session.token,
        idempotencyKey: newIdempotencyKey(),
        body: { reason },
      });
      return label(lang, 'ended', { id: agreement.agreementId });
    });
    if (done) onDone(done);
  };
  return (
    <Dialog title={label(lang, 'endTitle', { id: agreement.agreementId })} testid="end-dialog" onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <TextArea
          id="end-reason"
          label={label(lang, 'reason')}
          hint={label(lang, 'reasonHint')}
          value={reason}
          onInput={setReason}
          error={action.fieldError('reason')}
          required
        />
        <Outcome action={action} testid="end" />
        <FormActions busy={action.busy} text={label(lang, 'confirm')} testid="end-confirm" danger onCancel={onClose} />
      </form>
    </Dialog>
  );
}

/** Accepts an agreement proposed to this city; answers the status line. */
export async function acceptAgreement(token: string, agreementId: string): Promise<void> {
  await request(`/api/v1/agreements/${encodeURIComponent(agreementId)}/accept`, { token, idempotencyKey: newIdempotencyKey(), body: {} });
}

/** The agreements table: parties, types, validity, state, and accept / end where this city may. */
export function AgreementsTable({ records, testid, onEnd }: { records: Agreement[]; testid: string; onEnd?(a: Agreement): void }) {
  const ctx = useConsole();
  const { lang, city } = ctx;
  const action = useAction();
  return (
    <>
      <RecordsTable testid={testid} columns={['colAgreement', 'colParties', 'colDocTypes', 'colValidity', 'colState', 'colActions']}>
        {records.map((a) => (
          <tr key={a.agreementId} data-testid={`agreement-${a.agreementId}`} data-state={a.state}>
            <td>
              <code>{a.agreementId}</code>
            </td>
            <td>
              {cityName(a.proposer, lang)} → {cityName(a.counterparty, lang)}
            </td>
            <td>{a.docTypes.map((d) => valueLabel(lang, d)).join('、')}</td>
            <td>
              <Instant iso={a.validFrom} lang={lang} /> – <Instant iso={a.validTo} lang={lang} />
            </td>
            <td>
              <Badge value={a.state} text={valueLabel(lang, a.state)} />
            </td>
            <td class="row-actions">
              {a.state === 'proposed' && a.counterparty === city ? (
                <button
                  type="button"
                  class="primary small"
                  disabled={action.busy}
                  data-testid={`accept-${a.agreementId}`}
                  onClick={() =>
                    void action.run(async () => {
                      await acceptAgreement(ctx.session.token, a.agreementId);
                      return label(lang, 'accepted', { id: a.agreementId });
                    })
                  }
                >
                  {label(lang, 'accept')}
                </button>
              ) : null}
              {a.state !== 'ended' && onEnd ? (
                <RowButton text={label(lang, 'end')} testid={`end-${a.agreementId}`} onClick={() => onEnd(a)} />
              ) : null}
            </td>
          </tr>
        ))}
      </RecordsTable>
      <Outcome action={action} testid={`${testid}-accept`} />
    </>
  );
}

function AgreementsList() {
  const { lang } = useConsole();
  const list = usePaged<Agreement>('/api/v1/agreements', { pageSize: '50' });
  const { acting: ending, notice, open: end, close, done } = useActing<Agreement>();
  return (
    <section class="card" aria-labelledby="agreements-title">
      <h2 id="agreements-title">{label(lang, 'agreementsTitle')}</h2>
      <AgreementsTable records={list.records} testid="agreements-table" onEnd={end} />
      <ListFooter list={list as never} testid="agreements" />
      <Notice message={notice} testid="agreements" />
      {ending ? <EndDialog agreement={ending} onClose={close} onDone={done} /> : null}
    </section>
  );
}

function RecordForm() {
  const { lang, session, city } = useConsole();
  const action = useAction();
  const others = CITY_LIST.filter((c) => c.id !== city);
  const [issuerCity, setIssuerCity] = useState<string>(others[0]?.id ?? '');
  const [documentId, setDocumentId] = useState('');
  const [decision, setDecision] = useState('accepted');
  const [reason, setReason] = useState('');
  const [agreementId, setAgreementId] = useState('');
  const submit = (e: Event) => {
    e.preventDefault();
    void action.run(async () => {
      await request('/api/v1/recognitions', {
        token: session.token,
        idempotencyKey: newIdempotencyKey(),
        body: {
          issuerCity,
          documentId: documentId.trim(),
          decision,
          reason,
          ...(agreementId.trim() ? { agreementId: agreementId.trim() } : {}),
        },
      });
      return label(lang, 'recorded', { id: documentId.trim(), decision: decisionLabel(lang, decision) });
    });
  };
  return (
    <form class="card form" onSubmit={submit} aria-labelledby="record-title" data-testid="record-form" noValidate>
      <h2 id="record-title">{label(lang, 'recordTitle')}</h2>
      <p class="intro">{label(lang, 'recordIntro')}</p>
      <div class="field-row">
        <SelectField
          id="record-issuer"
          label={label(lang, 'issuerCity')}
          value={issuerCity}
          onInput={setIssuerCity}
          options={others.map((c) => ({ value: c.id, label: cityName(c.id, lang) }))}
        />
        <TextField
          id="record-document"
          label={label(lang, 'documentId')}
          value={documentId}
          onInput={setDocumentId}
          error={action.fieldError('documentId')}
          required
          mono
        />
      </div>
      <RadioGroup
        id="record-decision"
        legend={label(lang, 'decision')}
        value={decision}
        onInput={setDecision}
        options={[
          { value: 'accepted', label: decisionLabel(lang, 'accepted') },
          { value: 'rejected', label: decisionLabel(lang, 'rejected') },
        ]}
      />
      <TextArea
        id="record-reason"
        label={label(lang, 'reason')}
        hint={label(lang, 'reasonHint')}
        value={reason}
        onInput={setReason}
        error={action.fieldError('reason')}
        required
        rows={2}
      />
      <TextField
        id="record-agreement"
        label={label(lang, 'agreementId')}
        value={agreementId}
        onInput={setAgreementId}
        error={action.fieldError('agreementId')}
        mono
      />
      <FormActions busy={action.busy} text={label(lang, 'record')} testid="record-submit" />
      <Outcome action={action} testid="record" />
    </form>
  );
}

function RecognitionsOfMine() {
  const { lang, city } = useConsole();
  const list = usePaged<Recognition>('/api/v1/recognitions', { issuerCity: city, pageSize: '20' });
  return (
    <section class="card" aria-labelledby="recognitions-title">
      <h2 id="recognitions-title">{label(lang, 'recognitionsTitle')}</h2>
      <RecordsTable testid="recognitions-table" columns={['colRecogniser', 'colDocument', 'colDecision', 'colReason', 'colRecorded']}>
        {list.records.map((r) => (
          <tr key={`${r.city}/${r.documentId}`}>
            <td>{cityName(r.city, lang)}</td>
            <td>
              <code>{r.documentId}</code>
            </td>
            <td>
              <Badge value={r.decision} text={decisionLabel(lang, r.decision)} />
            </td>
            <td>
              {r.text?.reason?.text ??
                (r.text?.reason?.heldBy ? label(lang, 'reasonHeldBy', { city: cityName(r.text.reason.heldBy, lang) }) : '—')}
            </td>
            <td>
              <Instant iso={r.recordedAt} lang={lang} />
            </td>
          </tr>
        ))}
      </RecordsTable>
      <ListFooter list={list as never} testid="recognitions" />
    </section>
  );
}

/** The recognition tab. */
export function RecognitionView() {
  return (
    <>
      <AgreementsList />
      <div class="two-columns">
        <ProposeForm />
        <RecordForm />
      </div>
      <RecognitionsOfMine />
    </>
  );
}
