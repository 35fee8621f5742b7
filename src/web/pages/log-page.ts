// The public audit log page: newest first, search, paging, the server's chain verification status,
// and the data the browser needs to re-check each shown entry's hash itself (assets.ts).
import type { SealedEntry } from '../../core/audit-entry.js';
import { formatCents } from '../../core/money/amount.js';
import { html, type Html } from '../html.js';
import type { LogVerification } from '../log-verification.js';

export const logPageSizeEntries = 50;

export function verificationBanner(verification: LogVerification): Html {
  const checked = new Date(verification.checkedAt).toISOString();
  return verification.ok
    ? html`<p class="panel ok" id="chain-status" data-ok="true" data-count="${verification.count}">Chain verified by the server:
${verification.count.toLocaleString('en-US')} entries, head hash <code>${verification.head.slice(0, 16)}…</code> (checked ${checked}).</p>`
    : html`<p class="panel bad" id="chain-status" data-ok="false" data-broken-at="${verification.brokenAt}" role="alert">Chain BROKEN at entry
#${verification.brokenAt}: ${verification.reason}. ${verification.count.toLocaleString('en-US')} entries before it verify (checked ${checked}).</p>`;
}

export interface LogPageData {
  entries: readonly SealedEntry[];
  verification: LogVerification;
  sealed: number;
  query: string;
  before: number | null;
  /** Search only: the lowest sequence number that was searched. */
  searchedDownTo: number | null;
}

export function logPage(data: LogPageData): Html {
  const { entries, verification, sealed, query } = data;
  const rows = entries.map((entry) => html`<tr id="e${entry.seq}" data-seq="${entry.seq}"><td class="num">${entry.seq}</td>
<td><time datetime="${new Date(entry.ts).toISOString()}">${new Date(entry.ts).toISOString().replace('T', ' ').slice(0, 19)}</time></td>
<td>${entry.actor} ${entry.text}${entry.amount === undefined ? '' : html` <span class="muted">(${formatCents(entry.amount)})</span>`}
<span class="muted">· ${entry.channel}</span></td><td><code title="${entry.hash}">${entry.hash.slice(0, 12)}</code>
<span class="check" data-check="${entry.seq}" aria-live="polite"></span></td></tr>`);
  const oldest = entries.at(-1)?.seq ?? null;
  const newest = entries[0]?.seq ?? null;
  const search = query.length > 0 ? `&q=${encodeURIComponent(query)}` : '';
  const older = oldest !== null && oldest > 1 ? html`<a rel="next" href="/log?before=${oldest}${search}">Older entries</a>` : '';
  const newer = newest !== null && newest < sealed ? html`<a rel="prev" href="/log?before=${Math.min(sealed + 1, newest + logPageSizeEntries + 1)}${search}">Newer entries</a>` : '';
  const searched = data.searchedDownTo === null ? ''
    : html`<p class="muted">Searched entries #${data.searchedDownTo} to #${data.before === null ? sealed : data.before - 1}.</p>`;
  return html`${verificationBanner(verification)}
<p><button type="button" id="recheck" hidden>Re-check these entries in my browser</button>
<button type="button" id="recheck-all" hidden>Re-check the whole chain in my browser</button>
<span id="browser-status" role="status" aria-live="polite"></span></p>
<noscript><p class="muted">With JavaScript, this page can recompute every hash in your browser. Without it, download the
<a href="/api/log/range?from=1&amp;limit=1000">entries as JSON</a> and run <code>delegate-network log verify</code>.</p></noscript>
<form method="get" action="/log" role="search"><label for="q">Search the log (name, city, bill, action)</label>
<input id="q" name="q" value="${query}" maxlength="80"><button type="submit">Search</button></form>
${searched}
<div class="scroll"><table id="log" data-sealed="${sealed}"><caption>Audit log, newest first (${sealed.toLocaleString('en-US')} entries)</caption>
<thead><tr><th scope="col" class="num">#</th><th scope="col">time (UTC)</th><th scope="col">entry</th><th scope="col">hash</th></tr></thead>
<tbody>${rows}</tbody></table></div>
${entries.length === 0 ? html`<p>No entries${query.length > 0 ? ' match' : ''}.</p>` : ''}
<nav aria-label="Log pages"><p>${newer} ${older}</p></nav>`;
}
