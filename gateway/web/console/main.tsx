/**
 * The operator console (信用中心操作台) of a city gateway, at `/console/`:
 * sign in with an operator token, then issue, revoke and supersede
 * documents, keep list entries, answer objections and handle recognition,
 * all through the gateway's REST API.
 */
import { render } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { CityId } from '../../../domain/src/cities.js';
import { ApiError, request } from '../shared/api.js';
import { applyLanguage, cityName, initialLanguage, type Lang } from '../shared/i18n.js';
import { Instant } from '../shared/time.js';
import { problemLine, TextArea } from './components.js';
import { ConsoleContext, label, type ConsoleState } from './context.js';
import { DocumentsView } from './documents.js';
import { EntriesView } from './entries.js';
import { MESSAGES } from './messages.js';
import { ObjectionsView } from './objections.js';
import { PendingView } from './pending.js';
import { RecognitionView } from './recognition.js';
import { saveToken, savedToken, sessionFromToken, type Session, type TokenProblem } from './session.js';

const TABS = [
  { id: 'pending', key: 'tabPending', view: PendingView },
  { id: 'documents', key: 'tabDocuments', view: DocumentsView },
  { id: 'entries', key: 'tabEntries', view: EntriesView },
  { id: 'objections', key: 'tabObjections', view: ObjectionsView },
  { id: 'recognition', key: 'tabRecognition', view: RecognitionView },
] as const;
type TabId = (typeof TABS)[number]['id'];

function problemText(lang: Lang, city: CityId, p: TokenProblem): string {
  switch (p.kind) {
    case 'malformed':
      return label(lang, 'malformedToken');
    case 'expired':
      return label(lang, 'expiredToken');
    case 'role':
      return label(lang, 'notOperator', { role: p.role });
    case 'city':
      return label(lang, 'wrongCity', { tokenCity: cityName(p.tokenCity, lang), city: cityName(city, lang) });
  }
}

/** Checks a token with the gateway (an operator-only list): answers the session or why not. */
async function signIn(token: string, city: CityId, lang: Lang): Promise<Session | string> {
  const session = sessionFromToken(token, city);
  if (!('token' in session)) return problemText(lang, city, session);
  try {
    await request('/api/v1/reports?pageSize=1', { token: session.token });
    return session;
  } catch (err) {
    if (err instanceof ApiError) return problemLine(lang, err);
    return String(err);
  }
}

function SignIn({ lang, city, onSession, notice }: { lang: Lang; city: CityId; onSession(s: Session): void; notice: string | undefined }) {
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | undefined>(notice);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setProblem(undefined);
    const answer = await signIn(token, city, lang);
    setBusy(false);
    if (typeof answer === 'string') setProblem(answer);
    else onSession(answer);
  };
  return (
    <form class="card form sign-in" onSubmit={submit} aria-labelledby="sign-in-title" data-testid="sign-in-form" noValidate>
      <h2 id="sign-in-title">{label(lang, 'signInTitle')}</h2>
      <p class="intro">{label(lang, 'signInIntro')}</p>
      <TextArea
        id="sign-in-token"
        label={label(lang, 'tokenLabel')}
        hint={label(lang, 'tokenHint')}
        value={token}
        onInput={setToken}
        error={problem}
        required
        rows={4}
      />
      <div class="actions">
        <button type="submit" class="primary" disabled={busy || !token.trim()} data-testid="sign-in-submit">
          {busy ? label(lang, 'signingIn') : label(lang, 'signIn')}
        </button>
      </div>
    </form>
  );
}

function Tabs({ lang, tab, onSelect }: { lang: Lang; tab: TabId; onSelect(t: TabId): void }) {
  const refs = useRef<Record<string, HTMLButtonElement | null>>({});
  const onKeyDown = (e: KeyboardEvent) => {
    const i = TABS.findIndex((t) => t.id === tab);
    let next = -1;
    if (e.key === 'ArrowRight') next = (i + 1) % TABS.length;
    else if (e.key === 'ArrowLeft') next = (i + TABS.length - 1) % TABS.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = TABS.length - 1;
    if (next < 0) return;
    e.preventDefault();
    const id = TABS[next]!.id;
    onSelect(id);
    refs.current[id]?.focus();
  };
  return (
    <div class="tabs" role="tablist" aria-label={label(lang, 'title')} onKeyDown={onKeyDown}>
      {TABS.map((t) => (
        <button
          key={t.id}
          ref={(el) => {
            refs.current[t.id] = el;
          }}
          type="button"
          role="tab"
          id={`tab-${t.id}`}
          data-testid={`tab-${t.id}`}
          aria-controls={`panel-${t.id}`}
          aria-selected={tab === t.id}
          tabIndex={tab === t.id ? 0 : -1}
          onClick={() => onSelect(t.id)}
        >
          {label(lang, t.key)}
        </button>
      ))}
    </div>
  );
}

function App({ city }: { city: CityId }) {
  const [lang, setLang] = useState<Lang>(initialLanguage());
  const [session, setSession] = useState<Session | undefined>();
  const [checked, setChecked] = useState(false);
  const [notice, setNotice] = useState<string | undefined>();
  const [revision, setRevision] = useState(0);
  const [tab, setTab] = useState<TabId>(() => {
    const asked = window.location.hash.slice(1);
    return (TABS.find((t) => t.id === asked)?.id ?? 'pending') as TabId;
  });
  useEffect(() => {
    applyLanguage(lang, `${MESSAGES[lang].title} / ${MESSAGES[lang === 'zh' ? 'en' : 'zh'].title}`);
  }, [lang]);
  useEffect(() => {
    const saved = savedToken();
    if (!saved) {
      setChecked(true);
      return;
    }
    void signIn(saved, city, lang).then((answer) => {
      if (typeof answer !== 'string') setSession(answer);
      else saveToken(undefined);
      setChecked(true);
    });
  }, []);
  useEffect(() => {
    if (checked) document.documentElement.dataset.ready = 'true';
  }, [checked]);
  useEffect(() => {
    const follow = () => {
      const asked = TABS.find((t) => t.id === window.location.hash.slice(1));
      if (asked) setTab(asked.id);
    };
    window.addEventListener('hashchange', follow);
    return () => window.removeEventListener('hashchange', follow);
  }, []);
  const selectTab = (t: TabId) => {
    setTab(t);
    window.history.replaceState(null, '', `#${t}`);
  };
  const signOut = (message?: string) => {
    saveToken(undefined);
    setSession(undefined);
    setNotice(message);
  };
  const state = useMemo<ConsoleState | undefined>(
    () =>
      session
        ? {
            lang,
            session,
            city,
            revision,
            changed: () => setRevision((r) => r + 1),
            expired: () => signOut(label(lang, 'sessionExpired')),
          }
        : undefined,
    [lang, session, city, revision],
  );
  const View = TABS.find((t) => t.id === tab)!.view;
  return (
    <>
      <a class="skip-link" href="#main">
        {label(lang, 'skip')}
      </a>
      <header class="site-header">
        <div class="brand">
          <p class="brand-mark" aria-hidden="true">
            信
          </p>
          <div>
            <h1 id="page-title">{label(lang, 'title')}</h1>
            <p class="subtitle">
              {cityName(city, lang)} · {label(lang, 'subtitle')}
            </p>
          </div>
        </div>
        <div class="header-tools">
          {session ? (
            <div class="session" data-testid="session">
              <span>{label(lang, 'signedInAs', { city: cityName(city, lang), sub: session.subject })}</span>
              {session.expiresAt ? (
                <span class="hint">
                  {label(lang, 'tokenExpires')} <Instant iso={new Date(session.expiresAt).toISOString()} lang={lang} />
                </span>
              ) : null}
              <button type="button" class="secondary small" onClick={() => signOut()} data-testid="sign-out">
                {label(lang, 'signOut')}
              </button>
            </div>
          ) : null}
          <button
            type="button"
            class="lang-toggle"
            data-testid="lang-toggle"
            lang={lang === 'zh' ? 'en' : 'zh-CN'}
            aria-label={`${MESSAGES[lang].langToggle} — ${label(lang, 'langHint')}`}
            onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}
          >
            {MESSAGES[lang].langToggle}
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {!checked ? null : !state ? (
          <SignIn
            lang={lang}
            city={city}
            notice={notice}
            onSession={(s) => {
              saveToken(s.token);
              setNotice(undefined);
              setSession(s);
            }}
          />
        ) : (
          <ConsoleContext.Provider value={state}>
            <Tabs lang={lang} tab={tab} onSelect={selectTab} />
            <section id={`panel-${tab}`} role="tabpanel" aria-labelledby={`tab-${tab}`} class="panel" data-testid={`panel-${tab}`}>
              <View />
            </section>
          </ConsoleContext.Provider>
        )}
      </main>
      <footer class="site-footer">
        <p>{label(lang, 'footer')}</p>
        <p>
          <a href="/">{label(lang, 'verifyLink')}</a> · <a href="/cooperation/">{label(lang, 'cooperationLink')}</a> ·{' '}
          <a href="/api/v1/openapi.json">{label(lang, 'apiLink')}</a>
        </p>
      </footer>
    </>
  );
}

async function start(): Promise<void> {
  const root = document.getElementById('app');
  if (!root) return;
  let city: CityId = 'qingdao';
  try {
    city = (await request<{ city: CityId }>('/healthz')).city;
  } catch {
    // the sign-in check reports an unreachable gateway
  }
  render(<App city={city} />, root);
}

void start();
