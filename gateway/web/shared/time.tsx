/**
 * Times as people in the five cities read them: China Standard Time
 * (UTC+8, no daylight saving), with the exact UTC instant one click (or a
 * hover) away.
 */
import { useState } from 'preact/hooks';
import type { Lang } from './i18n.js';

const CST_OFFSET_MS = 8 * 3600 * 1000;

/** `2026-12-01T07:14:50.972Z` → `2026-12-01 15:14:50` (China Standard Time); the input when it is not an instant. */
export function chinaTime(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  return new Date(ms + CST_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}

/** The label of the time zone shown. */
export function zoneLabel(lang: Lang): string {
  return lang === 'zh' ? '北京时间' : 'CST (UTC+8)';
}

/**
 * An instant in China Standard Time; activating it (click, Enter, Space)
 * shows the exact UTC instant instead, and back. The UTC instant is also the
 * tooltip, and the `datetime` of the `<time>` element.
 */
export function Instant({ iso, lang }: { iso: string | undefined | null; lang: Lang }) {
  const [utc, setUtc] = useState(false);
  if (!iso) return <span class="muted">—</span>;
  if (Number.isNaN(Date.parse(iso))) return <span>{iso}</span>;
  const shown = utc ? `${iso} (UTC)` : `${chinaTime(iso)} ${zoneLabel(lang)}`;
  const hint = lang === 'zh' ? `切换显示：UTC ${iso}` : `Toggle: UTC ${iso}`;
  return (
    <button type="button" class="instant" title={iso} aria-label={`${shown}. ${hint}`} aria-pressed={utc} onClick={() => setUtc(!utc)}>
      <time dateTime={iso}>{shown}</time>
    </button>
  );
}
