/** What every view of the console shares: language, labels, the session and a refresh signal. */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { CityId } from '../../../domain/src/cities.js';
import { fill, type Lang } from '../shared/i18n.js';
import { MESSAGES, VALUES, type MessageKey } from './messages.js';
import type { Session } from './session.js';

/** The console's shared state. */
export interface ConsoleState {
  lang: Lang;
  session: Session;
  /** This gateway's city. */
  city: CityId;
  /** Bumped after every change, so lists reload. */
  revision: number;
  /** Tell every list to reload. */
  changed(): void;
  /** The session is no longer accepted (401): back to sign-in. */
  expired(): void;
}

/** The console context; provided by the signed-in app. */
export const ConsoleContext = createContext<ConsoleState | null>(null);

/** The console state of the signed-in app. */
export function useConsole(): ConsoleState {
  const state = useContext(ConsoleContext);
  if (!state) throw new Error('useConsole outside the signed-in console');
  return state;
}

/** A label in the language, with `{name}` parameters filled. */
export function label(lang: Lang, key: MessageKey, params?: Record<string, string | number>): string {
  return fill(MESSAGES[lang][key] ?? MESSAGES.zh[key], params);
}

/** A value's label (state, type, outcome) in the language; the value itself when unknown. */
export function valueLabel(lang: Lang, value: string | undefined): string {
  if (value === undefined) return '—';
  return VALUES[value]?.[lang] ?? value;
}
