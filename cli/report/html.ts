/** Small formatting helpers the report's HTML modules share. */

/** Fixed decimals, '—' for a missing or non-finite value. */
export function fixed(v: number | null | undefined, digits: number): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(digits);
}

/** Thousands separators; up to `maxDigits` decimals, trailing zeros dropped. */
export function formatNumber(v: number, maxDigits = 2): string {
  return Number.isFinite(v) ? v.toLocaleString('en-US', { maximumFractionDigits: maxDigits }) : '—';
}

/** Thousands separators and exactly `digits` decimals, so a column of them lines up (2,391.0 under 3,110.5). */
export function grouped(v: number | null | undefined, digits = 1): string {
  return v === null || v === undefined || !Number.isFinite(v)
    ? '—'
    : v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** A percentage with enough decimals that a small one does not read as zero (0.336, 2.85, 24.5). */
export function pct(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return `${v.toFixed(v === 0 ? 0 : Math.abs(v) < 1 ? 3 : Math.abs(v) < 10 ? 2 : 1)}%`;
}

/** An ISO time as "2014-04-11 00:00 UTC". */
export function utcMinute(iso: string): string {
  return /^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(iso) ? `${iso.slice(0, 16).replace('T', ' ')} UTC` : iso;
}

export function esc(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );
}
