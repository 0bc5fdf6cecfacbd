/* Around the tabs: the header cards, the tab counts, the unpriced-models banner and the price footer. */

import { api } from './api.js';
import { $, h, toast } from './dom.js';
import { ago, compact, money, num } from './format.js';
import { state, reload } from './state.js';
import { healthy } from './credentials.js';

/** The header cards, the tab counts and the unpriced-models banner. */
export function renderSummary() {
  const s = state.status;
  $('version').textContent = s ? 'v' + s.version : '';
  const counted = (list) => [String(list.length), h('span', { class: 'of' }, ' · ' + list.filter(healthy).length + ' healthy')];
  $('s-accounts').replaceChildren(...counted(state.accounts));
  $('s-claude').replaceChildren(...counted(state.claude));
  $('s-keys').textContent = String(state.keys.length);
  const today = state.usage ? state.usage.today : {};
  $('s-in').textContent = compact(today.input_tokens);
  $('s-out').textContent = compact(today.output_tokens);
  $('s-real').textContent = money(state.cost && state.cost.real_cost);
  $('s-equiv').textContent = money(state.cost && state.cost.equivalent_cost);
  $('s-listen').textContent = s ? s.listen : '';
  $('c-openai').textContent = String(state.accounts.length);
  $('c-claude').textContent = String(state.claude.length);
  $('c-keys').textContent = String(state.keys.length);
  const problems = s && s.problems ? s.problems.length : 0;
  $('c-health').textContent = problems ? String(problems) : '';

  const banner = $('unpriced');
  if (state.unpriced.length) {
    banner.textContent = 'No price known for: ' + state.unpriced.slice(0, 8).map((u) => u.billing_key + ' (' + u.count + ')').join(', ')
      + (state.unpriced.length > 8 ? ' …' : '') + '. Their cost is not counted.';
    banner.hidden = false;
  } else banner.hidden = true;
}

export function renderFooter() {
  const p = state.pricing;
  const f = $('price-footer');
  f.replaceChildren();
  if (!p) return;
  const when = p.last_success_at || p.fetched_at;
  f.append('prices ' + p.origin + ' · ' + num(p.models_count) + ' models' + (when ? ' · refreshed ' + ago(when) : '')
    + (p.last_error ? ' · last error: ' + p.last_error : '') + ' ',
  h('button', { type: 'button', class: 'small-btn', onclick: refreshPrices }, 'Refresh prices'));
}

async function refreshPrices() {
  try { await api('POST', '/admin/pricing/refresh'); toast('Prices refreshed'); } catch (e) { toast('Price refresh failed: ' + e.message, true); }
  await reload();
}
