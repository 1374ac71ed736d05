/** Documents: issue a credit document; list this city's documents; revoke or supersede one. */
import { useState } from 'preact/hooks';
import { request, newIdempotencyKey } from '../shared/api.js';
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
  endOfChinaDay,
  useAction,
  usePaged,
} from './components.js';
import { label, useConsole, valueLabel } from './context.js';
import { SubjectFields, subjectBody, type SubjectValue } from './subject.js';

const DOC_TYPES = ['creditReport', 'evaluation', 'listEntry', 'agencyFiling'];
const STATES = ['pending', 'anchored', 'revoked', 'superseded', 'expired', 'failed'];

interface ReportSummary {
  id: string;
  type: string;
  state: string;
  issuedAt: string;
  validUntil: string;
  anchor: { mode: 'single' | 'batch'; txId?: string; blockNumber?: number | null; batchId?: string };
  status?: { status: string; reason: string; at: string; replacementId?: string };
}

function IssueForm() {
  const { lang, session } = useConsole();
  const action = useAction();
  const [subject, setSubject] = useState<SubjectValue>({ kind: 'enterprise', id: '' });
  const [docType, setDocType] = useState('creditReport');
  const [reportType, setReportType] = useState('publicCreditReport');
  const [validUntil, setValidUntil] = useState(chinaDate(365));
  const [anchor, setAnchor] = useState('single');
  const submit = (e: Event) => {
    e.preventDefault();
    void action.run(async () => {
      const issued = await request<{ id: string }>('/api/v1/reports', {
        token: session.token,
        idempotencyKey: newIdempotencyKey(),
        body: { subject: subjectBody(subject), docType, reportType, validUntil: endOfChinaDay(validUntil), anchor },
      });
      return label(lang, 'issued', { id: issued.id });
    });
  };
  return (
    <form class="card form" onSubmit={submit} aria-labelledby="issue-title" data-testid="issue-form" noValidate>
      <h2 id="issue-title">{label(lang, 'issueTitle')}</h2>
      <SubjectFields
        prefix="issue"
        value={subject}
        onInput={setSubject}
        error={action.fieldError('uscc') ?? action.fieldError('idNumber')}
      />
      <div class="field-row">
        <SelectField
          id="issue-doc-type"
          label={label(lang, 'docType')}
          value={docType}
          onInput={setDocType}
          options={DOC_TYPES.map((v) => ({ value: v, label: valueLabel(lang, v) }))}
        />
        <TextField
          id="issue-report-type"
          label={label(lang, 'reportType')}
          hint={label(lang, 'reportTypeHint')}
          value={reportType}
          onInput={setReportType}
          error={action.fieldError('reportType')}
          required
        />
      </div>
      <div class="field-row">
        <TextField
          id="issue-valid-until"
          type="date"
          label={label(lang, 'validUntil')}
          hint={label(lang, 'validUntilHint')}
          value={validUntil}
          onInput={setValidUntil}
          error={action.fieldError('validUntil')}
          required
        />
        <SelectField
          id="issue-anchor"
          label={label(lang, 'anchorMode')}
          value={anchor}
          onInput={setAnchor}
          options={[
            { value: 'single', label: label(lang, 'anchorSingle') },
            { value: 'batch', label: label(lang, 'anchorBatch') },
          ]}
        />
      </div>
      <div class="actions">
        <button type="submit" class="primary" disabled={action.busy} data-testid="issue-submit">
          {label(lang, 'issue')}
        </button>
      </div>
      <Outcome action={action} testid="issue" />
    </form>
  );
}

function RevokeDialog({
  doc,
  mode,
  onClose,
  onDone,
}: {
  doc: ReportSummary;
  mode: 'revoke' | 'supersede';
  onClose(): void;
  onDone(message: string): void;
}) {
  const { lang, session } = useConsole();
  const action = useAction();
  const [reason, setReason] = useState('');
  const [replacementId, setReplacementId] = useState('');
  const submit = async (e: Event) => {
    e.preventDefault();
    const done = await action.run(async () => {
      const record = await request<{ txId: string }>(`/api/v1/reports/${encodeURIComponent(doc.id)}/${mode}`, {
        token: session.token,
        idempotencyKey: newIdempotencyKey(),
        body: mode === 'revoke' ? { reason } : { reason, replacementId: replacementId.trim() },
      });
      return label(lang, mode === 'revoke' ? 'revoked' : 'superseded', {
        id: doc.id,
        tx: record.txId.slice(0, 12),
        replacement: replacementId,
      });
    });
    if (done) onDone(done);
  };
  return (
    <Dialog
      title={label(lang, mode === 'revoke' ? 'revokeTitle' : 'supersedeTitle', { id: doc.id })}
      testid={`${mode}-dialog`}
      onClose={onClose}
    >
      <form onSubmit={submit} noValidate>
        {mode === 'supersede' ? (
          <TextField
            id={`${mode}-replacement`}
            label={label(lang, 'replacementId')}
            hint={label(lang, 'replacementHint')}
            value={replacementId}
            onInput={setReplacementId}
            error={action.fieldError('replacementId')}
            required
            mono
          />
        ) : null}
        <TextArea
          id={`${mode}-reason`}
          label={label(lang, 'reason')}
          hint={label(lang, 'reasonHint')}
          value={reason}
          onInput={setReason}
          error={action.fieldError('reason')}
          required
        />
        <Outcome action={action} testid={mode} />
        <div class="actions">
          <button type="submit" class="primary danger" disabled={action.busy} data-testid={`${mode}-confirm`}>
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

function DocumentsList() {
  const { lang } = useConsole();
  const [notice, setNotice] = useState<string | undefined>();
  const [state, setState] = useState('');
  const [type, setType] = useState('');
  const list = usePaged<ReportSummary>('/api/v1/reports', { state, type, pageSize: '20' });
  const [acting, setActing] = useState<{ doc: ReportSummary; mode: 'revoke' | 'supersede' } | undefined>();
  return (
    <section class="card" aria-labelledby="documents-title">
      <div class="card-head">
        <h2 id="documents-title">{label(lang, 'documentsTitle')}</h2>
        <div class="filters">
          <SelectField
            id="documents-state"
            label={label(lang, 'filterState')}
            value={state}
            onInput={setState}
            options={[{ value: '', label: label(lang, 'any') }, ...STATES.map((v) => ({ value: v, label: valueLabel(lang, v) }))]}
          />
          <SelectField
            id="documents-type"
            label={label(lang, 'filterType')}
            value={type}
            onInput={setType}
            options={[{ value: '', label: label(lang, 'any') }, ...DOC_TYPES.map((v) => ({ value: v, label: valueLabel(lang, v) }))]}
          />
        </div>
      </div>
      <div class="table-scroll">
        <table class="records" data-testid="documents-table">
          <thead>
            <tr>
              <th scope="col">{label(lang, 'colDocument')}</th>
              <th scope="col">{label(lang, 'colState')}</th>
              <th scope="col">{label(lang, 'colIssuedAt')}</th>
              <th scope="col">{label(lang, 'colValidUntil')}</th>
              <th scope="col">{label(lang, 'colAnchor')}</th>
              <th scope="col">{label(lang, 'colActions')}</th>
            </tr>
          </thead>
          <tbody>
            {list.records.map((d) => (
              <tr key={d.id} data-testid={`document-${d.id}`} data-state={d.state}>
                <td>
                  <div class="record-name">
                    <span>{valueLabel(lang, d.type)}</span>
                    <code class="record-id">{d.id}</code>
                  </div>
                </td>
                <td>
                  <Badge value={d.state} text={valueLabel(lang, d.state)} />
                  {d.status ? <div class="hint">{d.status.replacementId ? `→ ${d.status.replacementId}` : d.status.reason}</div> : null}
                </td>
                <td>
                  <Instant iso={d.issuedAt} lang={lang} />
                </td>
                <td>
                  <Instant iso={d.validUntil} lang={lang} />
                </td>
                <td class="nowrap">
                  {valueLabel(lang, d.anchor.mode)}
                  {d.anchor.blockNumber != null ? ` · ${label(lang, 'block', { n: d.anchor.blockNumber })}` : ''}
                </td>
                <td class="row-actions">
                  {d.state === 'anchored' ? (
                    <>
                      <button
                        type="button"
                        class="secondary small"
                        onClick={() => setActing({ doc: d, mode: 'revoke' })}
                        data-testid={`revoke-${d.id}`}
                      >
                        {label(lang, 'revoke')}
                      </button>
                      <button
                        type="button"
                        class="secondary small"
                        onClick={() => setActing({ doc: d, mode: 'supersede' })}
                        data-testid={`supersede-${d.id}`}
                      >
                        {label(lang, 'supersede')}
                      </button>
                    </>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ListFooter list={list as never} testid="documents" />
      <Notice message={notice} testid="documents" />
      {acting ? (
        <RevokeDialog
          doc={acting.doc}
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

/** The documents tab. */
export function DocumentsView() {
  return (
    <>
      <IssueForm />
      <DocumentsList />
    </>
  );
}
