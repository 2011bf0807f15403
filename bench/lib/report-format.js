/** Formatting shared by the generated sections of BENCHMARKS.md. */

export const fmt = (value, digits = 0) => (value == null || Number.isNaN(value) ? '–' : Number(value).toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits }));
export const ms = (value) => (value == null ? '–' : fmt(value, value < 10 ? 2 : value < 100 ? 1 : 0));
export const x = (value) => (value == null ? '–' : `${fmt(value, 2)}×`);
export const met = (ok) => (ok ? 'yes' : '**no**');
export const failures = (f) => f.non2xx + f.errors + f.timeouts;
export const table = (header, rows) => [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.join(' | ')} |`), ''];
/** "p50 / p99" of a latency summary. */
export const p50p99 = (latency) => `${ms(latency?.p50)} / ${ms(latency?.p99)}`;
