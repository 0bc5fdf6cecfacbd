/* The admin state every view draws from, and how it is (re)loaded from the server. */

import { api, optional, HttpError } from './api.js';
import { toast } from './dom.js';

export const state = {
  status: null, accounts: [], claude: [], keys: [], usage: null, cost: null, pricing: null, unpriced: [],
  fallback: null, gcp: null, clients: [], publicBaseUrl: null, running: new Map(), finished: [], tab: 'openai', events: null, reloadTimer: null
};
export const TABS = ['openai', 'claude', 'keys', 'clients', 'live', 'usage', 'routing', 'health'];

let render = () => {};

/** Sets what draws the page once fresh state has arrived. */
export function renderWith(fn) { render = fn; }

export async function load() {
  const [status, accounts, claude, keys, usage, cost, pricing, unpriced, fallback, gcp, deleted, clients] = await Promise.all([
    api('GET', '/admin/status'), api('GET', '/admin/accounts'), api('GET', '/admin/claude-accounts'),
    api('GET', '/admin/keys'), api('GET', '/admin/usage'), api('GET', '/admin/usage/cost'),
    optional('/admin/pricing/status'), optional('/admin/pricing/unpriced'), optional('/admin/claude-fallback'),
    optional('/admin/gcp'), optional('/admin/deleted'), optional('/admin/client-keys')]);
  Object.assign(state, { status, accounts, claude, keys, usage, cost, pricing, unpriced: unpriced || [], fallback, gcp,
    deleted: deleted || [], clients: (clients && clients.client_keys) || [],
    publicBaseUrl: (clients && clients.public_base_url) || null });
  render();
}

export async function reload() {
  try { await load(); } catch (e) { if (!(e instanceof HttpError && (e.status === 401 || e.status === 403))) toast('Reload failed: ' + e.message, true); }
}

/** Reloads soon, once, however many events ask for it. */
export function reloadSoon(delay) {
  if (state.reloadTimer) return;
  state.reloadTimer = setTimeout(() => { state.reloadTimer = null; reload(); }, delay || 400);
}
