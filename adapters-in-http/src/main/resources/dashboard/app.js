/* ProxyGate dashboard: plain JavaScript modules over the admin API, no build step; live updates come from
   /admin/events (no polling). This module is the shell: sign-in, tabs, the whole-page render and start-up.
   Each tab's view is its own view-*.js module; api, state, dom, format, charts and events are shared. */

import { api, HttpError, onSignedOut } from './api.js';
import { $, dialogSubmit } from './dom.js';
import { state, TABS, load, reload, renderWith } from './state.js';
import { startEvents, stopEvents } from './events.js';
import { renderSummary, renderFooter } from './view-summary.js';
import { renderAccounts, addAccount, importClaude } from './view-accounts.js';
import { renderKeys, addKey } from './view-keys.js';
import { renderClients, addClient } from './view-clients.js';
import { renderFallback } from './view-fallback.js';
import { renderLive } from './view-live.js';
import { loadUsage } from './view-usage.js';
import { explain } from './view-routing.js';
import { renderHealth } from './view-health.js';

/** Redraws every view from the state just loaded. */
function render() {
  renderSummary();
  renderAccounts('openai', state.accounts);
  renderAccounts('claude', state.claude);
  renderKeys();
  renderClients();
  renderFallback();
  renderHealth();
  renderFooter();
}

renderWith(render);
onSignedOut(showLogin);

// ------------------------------------------------------------------ sign-in

function showLogin() {
  stopEvents();
  $('app').hidden = true;
  $('login').hidden = false;
  $('login-token').focus();
}

async function login(ev) {
  ev.preventDefault();
  const err = $('login-error');
  err.hidden = true;
  try {
    await api('POST', '/admin/ui/login', $('login-token').value, true);
    $('login-token').value = '';
    await start();
  } catch (e) {
    err.textContent = e.status === 401 ? 'Invalid token' : e.status === 429 ? 'Too many attempts; wait a minute'
      : e.status === 403 ? 'No admin token is configured on the server' : ('Sign-in failed: ' + e.message);
    err.hidden = false;
    $('login-token').select();
  }
}

async function logout() {
  try { await api('POST', '/admin/ui/logout'); } catch (e) { /* signed out either way */ }
  showLogin();
}

async function start() {
  const session = await api('GET', '/admin/ui/session');
  if (!session || !session.signed_in) { showLogin(); return; }
  await load();
  $('login').hidden = true;
  $('app').hidden = false;
  selectTab(localStorage.getItem('proxygate_tab') || 'openai', false);
  startEvents();
}

// ------------------------------------------------------------------ tabs

function selectTab(name, focus) {
  if (!TABS.includes(name)) name = 'openai';
  state.tab = name;
  localStorage.setItem('proxygate_tab', name);
  for (const t of TABS) {
    const tab = $('tab-' + t);
    const on = t === name;
    tab.setAttribute('aria-selected', on ? 'true' : 'false');
    tab.tabIndex = on ? 0 : -1;
    $('panel-' + t).hidden = !on;
  }
  if (focus) $('tab-' + name).focus();
  if (name === 'usage') loadUsage();
  if (name === 'routing' && !$('t-routing').tBodies[0].rows.length) explain();
  if (name === 'live') renderLive();
}

function onTabKey(ev) {
  const i = TABS.indexOf(state.tab);
  let next = null;
  if (ev.key === 'ArrowRight') next = TABS[(i + 1) % TABS.length];
  else if (ev.key === 'ArrowLeft') next = TABS[(i + TABS.length - 1) % TABS.length];
  else if (ev.key === 'Home') next = TABS[0];
  else if (ev.key === 'End') next = TABS[TABS.length - 1];
  if (next) { ev.preventDefault(); selectTab(next, true); }
}

// ------------------------------------------------------------------ boot

function boot() {
  const hint = document.querySelector('meta[name="proxygate-token-hint"]');
  if (hint && hint.content) $('login-hint').textContent = hint.content;
  $('login-form').addEventListener('submit', login);
  $('logout').addEventListener('click', logout);
  $('refresh').addEventListener('click', () => { reload(); if (state.tab === 'usage') loadUsage(); });
  for (const t of TABS) $('tab-' + t).addEventListener('click', () => selectTab(t, false));
  document.querySelector('.tabs').addEventListener('keydown', onTabKey);
  $('add-openai').addEventListener('click', () => addAccount('openai'));
  $('add-claude').addEventListener('click', () => addAccount('claude'));
  $('import-claude').addEventListener('click', importClaude);
  $('add-key').addEventListener('click', addKey);
  $('add-client').addEventListener('click', addClient);
  $('dlg-form').addEventListener('submit', dialogSubmit);
  $('dlg-cancel').addEventListener('click', () => $('dlg').close());
  for (const id of ['u-range', 'u-split', 'u-group']) $(id).addEventListener('change', loadUsage);
  $('routing-form').addEventListener('submit', explain);
  let resizeTimer = null;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => { if (state.tab === 'usage') loadUsage(); }, 250);
  });
  start().catch((e) => { if (!(e instanceof HttpError)) console.warn(e); showLogin(); });
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', boot);
else boot();
