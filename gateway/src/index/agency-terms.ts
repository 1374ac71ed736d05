/**
 * Terms of the agency-name search index. Chinese names have no spaces
 * between words, so a name is indexed by its characters: every single
 * character (for one-character queries) and every pair of neighbouring
 * characters (character bigrams). A query of two or more characters is
 * looked up by its bigrams; the candidates (agencies holding every bigram)
 * are then checked for the whole query as a substring, so the answer is
 * exact, not approximate.
 */

/**
 * A name or query in the form it is indexed and matched in: NFKC (full-width
 * letters and digits become ASCII), lower case, without white space,
 * punctuation and symbols (so `（青岛）` and `(青岛)` and `青岛` match alike).
 */
export function normaliseName(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]/gu, '');
}

/** The distinct index terms of a (normalised) name: its characters and its character bigrams. */
export function nameTerms(normalised: string): string[] {
  const chars = [...normalised];
  const terms = new Set<string>(chars);
  for (let i = 0; i + 1 < chars.length; i++) terms.add(chars[i]! + chars[i + 1]!);
  return [...terms];
}

/**
 * The terms to look a (normalised) query up by: its bigrams, or the one
 * character of a one-character query; none for an empty query.
 */
export function queryTerms(normalised: string): string[] {
  const chars = [...normalised];
  if (chars.length <= 1) return chars;
  const terms = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i++) terms.add(chars[i]! + chars[i + 1]!);
  return [...terms];
}
