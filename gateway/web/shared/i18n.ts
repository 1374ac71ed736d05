/**
 * Interface language of the gateway's pages (console, cooperation column):
 * Chinese by default, English on request. The choice is read from `?lang=`,
 * else from what the user chose before (localStorage, shared with the
 * verification page), else Chinese.
 */
import { CITIES, type CityId } from '../../../domain/src/cities.js';

/** An interface language. */
export type Lang = 'zh' | 'en';

/** Where the chosen language is remembered (the verification page uses the same key). */
export const LANG_STORAGE_KEY = 'jcc.lang';

/** BCP 47 tags for `<html lang>`. */
export const LANG_TAGS: Record<Lang, string> = { zh: 'zh-CN', en: 'en' };

/** The language the page starts in. */
export function initialLanguage(): Lang {
  const asked = new URLSearchParams(window.location.search).get('lang');
  if (asked === 'zh' || asked === 'en') return asked;
  try {
    const saved = window.localStorage.getItem(LANG_STORAGE_KEY);
    if (saved === 'zh' || saved === 'en') return saved;
  } catch {
    // storage unavailable (private mode): the default applies
  }
  return 'zh';
}

/** Remembers the language and writes it to `<html>`. */
export function applyLanguage(lang: Lang, title: string): void {
  document.documentElement.lang = LANG_TAGS[lang];
  document.documentElement.dataset.lang = lang;
  document.title = title;
  try {
    window.localStorage.setItem(LANG_STORAGE_KEY, lang);
  } catch {
    // not remembered; nothing else depends on it
  }
}

/** A message table: one string per key, in each language. */
export type Messages<K extends string> = Record<Lang, Record<K, string>>;

/** Fills `{name}` placeholders of a message. */
export function fill(text: string, params: Record<string, string | number> = {}): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** A city's name in the language (青岛 / Qingdao); the id itself when unknown. */
export function cityName(id: string, lang: Lang): string {
  const city = CITIES.find((c) => c.id === id);
  return city ? (lang === 'zh' ? city.nameZh : city.name) : id;
}

/** The five cities in the consortium's order. */
export const CITY_LIST: readonly { id: CityId; name: string; nameZh: string }[] = CITIES;
