/** Building blocks of the console's views: labelled fields, dialogs, action state, paged lists. */
import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, request } from '../shared/api.js';
import type { Lang } from '../shared/i18n.js';
import { label, useConsole, type ConsoleState } from './context.js';
import type { MessageKey } from './messages.js';

/** Props shared by the labelled controls. */
interface ControlProps {
  id: string;
  label: string;
  hint?: string;
  /** The gateway's message for this field, when it refused it. */
  error?: string | undefined;
  required?: boolean;
}

function describedBy(p: ControlProps): string | undefined {
  const ids = [p.hint ? `${p.id}-hint` : '', p.error ? `${p.id}-error` : ''].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

function FieldFrame(p: ControlProps & { children: ComponentChildren }) {
  return (
    <div class="field">
      <label for={p.id} class="field-label">
        {p.label}
        {p.required ? (
          <span class="required" aria-hidden="true">
            {' '}
            *
          </span>
        ) : null}
      </label>
      {p.children}
      {p.hint ? (
        <p id={`${p.id}-hint`} class="hint">
          {p.hint}
        </p>
      ) : null}
      {p.error ? (
        <p id={`${p.id}-error`} class="field-error">
          {p.error}
        </p>
      ) : null}
    </div>
  );
}

/** A labelled text (or date) input. */
export function TextField(
  p: ControlProps & { value: string; onInput(value: string): void; type?: 'text' | 'date'; autoComplete?: string; mono?: boolean },
) {
  return (
    <FieldFrame {...p}>
      <input
        id={p.id}
        name={p.id}
        data-testid={p.id}
        type={(p.type ?? 'text') as 'text'}
        class={p.mono ? 'mono' : undefined}
        value={p.value}
        required={p.required}
        autoComplete={p.autoComplete ?? 'off'}
        spellcheck={false}
        aria-invalid={p.error ? 'true' : undefined}
        aria-describedby={describedBy(p)}
        onInput={(e) => p.onInput((e.currentTarget as HTMLInputElement).value)}
      />
    </FieldFrame>
  );
}

/** A labelled multi-line text field. */
export function TextArea(p: ControlProps & { value: string; onInput(value: string): void; rows?: number }) {
  return (
    <FieldFrame {...p}>
      <textarea
        id={p.id}
        name={p.id}
        data-testid={p.id}
        rows={p.rows ?? 3}
        value={p.value}
        required={p.required}
        aria-invalid={p.error ? 'true' : undefined}
        aria-describedby={describedBy(p)}
        onInput={(e) => p.onInput((e.currentTarget as HTMLTextAreaElement).value)}
      />
    </FieldFrame>
  );
}

/** A labelled select. */
export function SelectField(
  p: ControlProps & { value: string; onInput(value: string): void; options: { value: string; label: string }[] },
) {
  return (
    <FieldFrame {...p}>
      <select
        id={p.id}
        name={p.id}
        data-testid={p.id}
        value={p.value}
        required={p.required}
        aria-invalid={p.error ? 'true' : undefined}
        aria-describedby={describedBy(p)}
        onInput={(e) => p.onInput((e.currentTarget as HTMLSelectElement).value)}
      >
        {p.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}

/** A group of radio buttons with a legend. */
export function RadioGroup(p: {
  id: string;
  legend: string;
  value: string;
  onInput(value: string): void;
  options: { value: string; label: string }[];
}) {
  return (
    <fieldset class="field radio-group" data-testid={p.id}>
      <legend class="field-label">{p.legend}</legend>
      {p.options.map((o) => (
        <label key={o.value} class="choice">
          <input type="radio" name={p.id} value={o.value} checked={p.value === o.value} onInput={() => p.onInput(o.value)} /> {o.label}
        </label>
      ))}
    </fieldset>
  );
}

/** A group of checkboxes with a legend. */
export function CheckboxGroup(p: {
  id: string;
  legend: string;
  values: string[];
  onInput(values: string[]): void;
  options: { value: string; label: string }[];
}) {
  return (
    <fieldset class="field radio-group" data-testid={p.id}>
      <legend class="field-label">{p.legend}</legend>
      {p.options.map((o) => (
        <label key={o.value} class="choice">
          <input
            type="checkbox"
            name={p.id}
            value={o.value}
            checked={p.values.includes(o.value)}
            onInput={(e) =>
              p.onInput((e.currentTarget as HTMLInputElement).checked ? [...p.values, o.value] : p.values.filter((v) => v !== o.value))
            }
          />{' '}
          {o.label}
        </label>
      ))}
    </fieldset>
  );
}

/** The gateway's problem for a failed request (a 401 ends the session); anything else thrown counts as unreachable (status 0). */
export function problemOf(err: unknown, ctx: Pick<ConsoleState, 'expired'>): ApiError {
  if (err instanceof ApiError && err.status === 401) ctx.expired();
  return err instanceof ApiError ? err : new ApiError(0, String(err), undefined);
}

/** A problem in one line: "unreachable", or its title and detail. */
export function problemLine(lang: Lang, p: ApiError): string {
  return p.status === 0 ? label(lang, 'unreachable') : `${p.title}${p.detail ? ` — ${p.detail}` : ''}`;
}

/** A problem as a one-line alert; nothing when there is none. */
export function ProblemAlert({ problem, testid }: { problem: ApiError | undefined; testid?: string }) {
  const { lang } = useConsole();
  if (!problem) return null;
  return (
    <p class="problem" role="alert" data-testid={testid}>
      {problemLine(lang, problem)}
    </p>
  );
}

/** The state of one action (a form's submission): busy, its outcome, and the gateway's problem. */
export interface ActionState {
  busy: boolean;
  message: string | undefined;
  problem: ApiError | undefined;
  /** The gateway's message for a field (by the last segment of the problem's path), when it refused it. */
  fieldError(name: string): string | undefined;
  run(fn: () => Promise<string>): Promise<string | undefined>;
  reset(): void;
}

/** Runs a form's submission: shows progress, the outcome, or the gateway's problem; a 401 ends the session. */
export function useAction(): ActionState {
  const ctx = useConsole();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | undefined>();
  const [problem, setProblem] = useState<ApiError | undefined>();
  const run = async (fn: () => Promise<string>): Promise<string | undefined> => {
    setBusy(true);
    setMessage(undefined);
    setProblem(undefined);
    try {
      const done = await fn();
      setMessage(done);
      ctx.changed();
      return done;
    } catch (err) {
      setProblem(problemOf(err, ctx));
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  return {
    busy,
    message,
    problem,
    fieldError: (name) =>
      problem?.errors.find((e) => e.path === name || e.path.endsWith(`.${name}`) || e.path.endsWith(`/${name}`))?.message,
    run,
    reset: () => {
      setMessage(undefined);
      setProblem(undefined);
    },
  };
}

/** The outcome of an action: a status line, or the gateway's problem (an alert naming each refused field). */
export function Outcome({ action, testid }: { action: ActionState; testid: string }) {
  const { lang } = useConsole();
  if (action.problem) {
    const p = action.problem;
    return (
      <div class="problem" role="alert" data-testid={`${testid}-problem`}>
        <p>
          <strong>{p.status === 0 ? label(lang, 'unreachable') : p.title}</strong>
          {p.detail ? ` — ${p.detail}` : ''}
        </p>
        {p.errors.length ? (
          <>
            <p>{label(lang, 'fieldProblems')}</p>
            <ul>
              {p.errors.map((e) => (
                <li key={e.path}>
                  <code>{e.path}</code>: {e.message}
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </div>
    );
  }
  return (
    <p class="outcome" role="status" data-testid={`${testid}-outcome`}>
      {action.message ?? ''}
    </p>
  );
}

/** A modal dialog (native `<dialog>`: focus stays inside, Esc closes it). */
export function Dialog(p: { title: string; testid: string; onClose(): void; children: ComponentChildren }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  return (
    <dialog ref={ref} class="dialog" aria-labelledby={`${p.testid}-title`} data-testid={p.testid} onClose={p.onClose}>
      <h2 id={`${p.testid}-title`}>{p.title}</h2>
      {p.children}
    </dialog>
  );
}

/** The envelope of the gateway's list answers. */
export interface ListAnswer<T> {
  records: T[];
  bookmark: string;
  indexedThrough?: { blockNumber: number } | null;
  caughtUp?: boolean;
}

/** A paged list of the gateway: the records so far, loading more with the bookmark; reloaded after every change. */
export function usePaged<T>(path: string, params: Record<string, string | undefined>) {
  const ctx = useConsole();
  const [records, setRecords] = useState<T[]>([]);
  const [bookmark, setBookmark] = useState('');
  const [facts, setFacts] = useState<Pick<ListAnswer<T>, 'indexedThrough' | 'caughtUp'>>({});
  const [loading, setLoading] = useState(true);
  const [problem, setProblem] = useState<ApiError | undefined>();
  const query = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => Boolean(e[1]))).toString();
  const load = useCallback(
    async (from: string) => {
      setLoading(true);
      setProblem(undefined);
      try {
        const q = new URLSearchParams(query);
        if (from) q.set('bookmark', from);
        const answer = await request<ListAnswer<T>>(`${path}?${q.toString()}`, { token: ctx.session.token });
        setRecords((old) => (from ? [...old, ...answer.records] : answer.records));
        setBookmark(answer.bookmark ?? '');
        setFacts({ indexedThrough: answer.indexedThrough, caughtUp: answer.caughtUp });
      } catch (err) {
        setProblem(problemOf(err, ctx));
      } finally {
        setLoading(false);
      }
    },
    [path, query, ctx.session.token],
  );
  useEffect(() => {
    void load('');
  }, [load, ctx.revision]);
  return { records, bookmark, facts, loading, problem, more: () => load(bookmark), reload: () => load('') };
}

/** The footer of a list: block height, loading state, "load more". */
export function ListFooter(p: { list: ReturnType<typeof usePaged<unknown>>; testid: string }) {
  const { lang } = useConsole();
  const { list } = p;
  return (
    <div class="list-footer">
      <p class="hint" aria-live="polite" data-testid={`${p.testid}-facts`}>
        {list.loading ? label(lang, 'loading') : list.records.length === 0 ? label(lang, 'empty') : ''}{' '}
        {list.facts.indexedThrough ? label(lang, 'indexedThrough', { block: list.facts.indexedThrough.blockNumber }) : ''}
        {list.facts.caughtUp === false ? ` ${label(lang, 'notCaughtUp')}` : ''}
      </p>
      <ProblemAlert problem={list.problem} />
      <div class="actions">
        <button
          type="button"
          class="secondary small"
          onClick={() => void list.reload()}
          disabled={list.loading}
          data-testid={`${p.testid}-refresh`}
        >
          {label(lang, 'refresh')}
        </button>
        {list.bookmark ? (
          <button
            type="button"
            class="secondary small"
            onClick={() => void list.more()}
            disabled={list.loading}
            data-testid={`${p.testid}-more`}
          >
            {label(lang, 'loadMore')}
          </button>
        ) : null}
      </div>
    </div>
  );
}

/** A status badge (state, outcome). */
export function Badge({ value, text }: { value: string; text: string }) {
  return (
    <span class="badge" data-value={value}>
      {text}
    </span>
  );
}

/** Today in China Standard Time, `YYYY-MM-DD`, shifted by `days`. */
export function chinaDate(days = 0): string {
  return new Date(Date.now() + 8 * 3600 * 1000 + days * 86_400_000).toISOString().slice(0, 10);
}

/** The end of a China Standard Time day as an instant (`YYYY-MM-DDT23:59:59.999+08:00`). */
export function endOfChinaDay(date: string): string {
  return `${date}T23:59:59.999+08:00`;
}

/** The start of a China Standard Time day as an instant. */
export function startOfChinaDay(date: string): string {
  return `${date}T00:00:00.000+08:00`;
}

/** A page-level status line for what a dialog did (the dialog itself has closed). */
export function Notice({ message, testid }: { message: string | undefined; testid: string }) {
  return (
    <p class="outcome" role="status" data-testid={`${testid}-notice`}>
      {message ?? ''}
    </p>
  );
}

/** A form's buttons: its submit button and, in a dialog, the cancel button beside it. */
export function FormActions(p: { busy: boolean; text: string; testid: string; danger?: boolean; onCancel?: () => void }) {
  const { lang } = useConsole();
  return (
    <div class="actions">
      <button type="submit" class={p.danger ? 'primary danger' : 'primary'} disabled={p.busy} data-testid={p.testid}>
        {p.text}
      </button>
      {p.onCancel ? (
        <button type="button" class="secondary" onClick={p.onCancel}>
          {label(lang, 'cancel')}
        </button>
      ) : null}
    </div>
  );
}

/** A small button in a table row's actions cell. */
export function RowButton(p: { text: string; testid: string; onClick(): void; disabled?: boolean }) {
  return (
    <button type="button" class="secondary small" onClick={p.onClick} disabled={p.disabled} data-testid={p.testid}>
      {p.text}
    </button>
  );
}

/** A scrollable table of records: its column headings (message keys) and its rows. */
export function RecordsTable(p: { testid: string; columns: MessageKey[]; children: ComponentChildren }) {
  const { lang } = useConsole();
  return (
    <div class="table-scroll">
      <table class="records" data-testid={p.testid}>
        <thead>
          <tr>
            {p.columns.map((c) => (
              <th key={c} scope="col">
                {label(lang, c)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{p.children}</tbody>
      </table>
    </div>
  );
}

/** The dialog a list's row action opened, and the notice it left on the page when it was done. */
export function useActing<T>() {
  const [acting, setActing] = useState<T | undefined>();
  const [notice, setNotice] = useState<string | undefined>();
  return {
    acting,
    notice,
    open: (what: T) => setActing(what),
    close: () => setActing(undefined),
    done: (message: string) => {
      setActing(undefined);
      setNotice(message);
    },
  };
}
