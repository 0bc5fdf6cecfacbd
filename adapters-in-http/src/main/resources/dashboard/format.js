/* Number, money, duration and time formatting for the tables and charts. */

const nf = new Intl.NumberFormat();
export const num = (n) => nf.format(n || 0);
export function compact(n) {
  n = n || 0;
  if (Math.abs(n) >= 1e9) return (n / 1e9).toFixed(1) + 'B';
  if (Math.abs(n) >= 1e6) return (n / 1e6).toFixed(1) + 'M';
  if (Math.abs(n) >= 1e4) return (n / 1e3).toFixed(1) + 'k';
  return nf.format(n);
}
export function money(n) {
  n = Number(n || 0);
  if (n === 0) return '$0';
  if (n < 0.01) return '$' + n.toFixed(4);
  return '$' + n.toFixed(2);
}
export function ago(iso) {
  if (!iso) return '';
  const s = Math.round((Date.now() - Date.parse(iso)) / 1000);
  return span(Math.max(0, s)) + ' ago';
}
export function until(iso) {
  if (!iso) return '';
  const s = Math.round((Date.parse(iso) - Date.now()) / 1000);
  return s <= 0 ? 'now' : span(s);
}
export function span(s) {
  if (s < 60) return s + 's';
  if (s < 3600) return Math.round(s / 60) + 'm';
  if (s < 86400) { const mins = Math.round(s / 60); const hh = Math.floor(mins / 60); const mm = mins % 60; return hh + 'h' + (mm ? ' ' + mm + 'm' : ''); }
  const hours = Math.round(s / 3600); const d = Math.floor(hours / 24); const hh = hours % 24; return d + 'd' + (hh ? ' ' + hh + 'h' : '');
}
const pad = (n) => String(n).padStart(2, '0');
export function shortTime(iso) {
  const d = new Date(iso);
  return pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + ' ' + pad(d.getHours()) + ':' + pad(d.getMinutes());
}
export function clock(iso) {
  const d = new Date(iso);
  return pad(d.getHours()) + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds());
}
export function ms(v) { return v === undefined || v === null ? '–' : (v >= 10000 ? (v / 1000).toFixed(1) + 's' : v + 'ms'); }
