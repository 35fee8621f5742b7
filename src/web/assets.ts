// The small progressive enhancement, served as scripts from our own origin (the CSP allows no inline
// script): the browser re-checks the audit log's hash chain with WebCrypto, using the very function
// the server hashes with (canonicalJson, serialized from src/core), and the sign-in page follows
// the phone call through server-sent events. Pages work without them.
import { canonicalJson } from '../core/canonical-json.js';
import { genesisHash } from '../core/audit-entry.js';

const verifyLogScript = `'use strict';
(() => {
  ${canonicalJson.toString()}
  const genesis = '${genesisHash}';
  const hex = (buffer) => Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');
  async function entryHash(prev, entry) {
    const { seq, ts, actor, actorId, channel, text, event, amount } = entry;
    const bytes = new TextEncoder().encode(prev + canonicalJson({ seq, ts, actor, actorId, channel, text, event, amount }));
    return hex(await crypto.subtle.digest('SHA-256', bytes));
  }
  async function range(from, limit) {
    const response = await fetch('/api/log/range?from=' + from + '&limit=' + limit, { headers: { accept: 'application/json' } });
    if (!response.ok) throw new Error('the server answered ' + response.status);
    return (await response.json()).entries;
  }
  const status = document.getElementById('browser-status');
  const say = (text, ok) => { status.textContent = text; status.className = ok ? 'ok' : 'bad'; status.dataset.ok = String(ok); };
  async function checkEntries(entries, prev) {
    for (const entry of entries) {
      const mark = document.querySelector('[data-check="' + entry.seq + '"]');
      const good = entry.prev === prev && (await entryHash(prev, entry)) === entry.hash;
      if (mark) { mark.textContent = good ? ' ✓' : ' ✗ broken'; mark.className = good ? 'ok' : 'bad'; }
      if (!good) return entry.seq;
      prev = entry.hash;
    }
    return null;
  }
  async function recheckShown() {
    const seqs = Array.from(document.querySelectorAll('#log tbody tr'), (row) => Number(row.dataset.seq));
    if (seqs.length === 0) return say('No entries to check.', true);
    const low = Math.min(...seqs);
    const high = Math.max(...seqs);
    const entries = await range(low, high - low + 1);
    const bad = await checkEntries(entries, entries.length > 0 ? entries[0].prev : genesis);
    if (bad === null) say('Your browser recomputed ' + entries.length + ' hashes (#' + low + ' to #' + high + '): all match.', true);
    else say('Your browser found a break at entry #' + bad + '.', false);
  }
  async function recheckAll() {
    const total = Number(document.getElementById('log').dataset.sealed);
    let prev = genesis;
    for (let from = 1; from <= total; from += 1000) {
      say('Checking entries from #' + from + ' of ' + total + '…', true);
      const entries = await range(from, 1000);
      const bad = await checkEntries(entries, prev);
      if (bad !== null) return say('Your browser found a break at entry #' + bad + '.', false);
      if (entries.length === 0) break;
      prev = entries[entries.length - 1].hash;
    }
    say('Your browser recomputed all ' + total + ' hashes from the first entry: the chain is intact.', true);
  }
  for (const [id, run] of [['recheck', recheckShown], ['recheck-all', recheckAll]]) {
    const button = document.getElementById(id);
    if (!button) continue;
    if (!window.crypto || !crypto.subtle) { say('This browser cannot hash here (WebCrypto needs HTTPS).', false); continue; }
    button.hidden = false;
    button.addEventListener('click', () => { run().catch((error) => say('Check failed: ' + error.message, false)); });
  }
})();
`;

const signInScript = `'use strict';
(() => {
  const form = document.getElementById('complete-form');
  const status = document.getElementById('sign-in-status');
  if (!form || !window.EventSource) return;
  const events = new EventSource('/sign-in/events');
  events.addEventListener('confirmed', () => { events.close(); status.textContent = 'Confirmed by your call. Signing in…'; form.submit(); });
  events.addEventListener('expired', () => { events.close(); status.textContent = 'This code expired. Reload the page for a new one.'; });
})();
`;

export const scripts: Readonly<Record<string, string>> = {
  'verify-log.js': verifyLogScript,
  'sign-in.js': signInScript,
};
