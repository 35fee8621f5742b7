// Renderers of the sign-in page and the signed-in voter's page: delegations and votes (with forms
// that change them), balance and history, pay, property and offers, bids, text-message opt-in.
// Every form carries the session's CSRF token; money forms carry a fresh idempotency key, so a
// double-click or a re-sent form never pays twice.
import type { Bill } from '../../core/bill.js';
import type { SealedEntry } from '../../core/audit-entry.js';
import { formatCents } from '../../core/money/amount.js';
import type { VoteChoice } from '../../core/vote.js';
import type { Property } from '../../app/property-service.js';
import { billLabel } from '../../app/democracy-service.js';
import { html, type Html } from '../html.js';

export function signInPage(options: { code: string; csrf: string; expiresAt: number; error: string | null }): Html {
  const spaced = options.code.split('').join(' ');
  return html`${options.error === null ? '' : html`<p class="bad" role="alert">${options.error}</p>`}
<ol><li>Call the Delegate Network from the phone on your voter registration.</li>
<li>In the politics menu, press <strong>7</strong> (sign in to the web).</li>
<li>Key this code:</li></ol>
<p class="code" id="sign-in-code" aria-label="Sign-in code ${spaced}" data-code="${options.code}">${options.code}</p>
<p class="muted">The code works once and expires at <time datetime="${new Date(options.expiresAt).toISOString()}">
${new Date(options.expiresAt).toISOString().slice(11, 16)} UTC</time>. Only a verified call from a registered voter's phone signs this page in.</p>
<p id="sign-in-status" role="status" aria-live="polite">Waiting for your call…</p>
<form id="complete-form" method="post" action="/sign-in/complete"><input type="hidden" name="csrf" value="${options.csrf}">
<button type="submit">I keyed the code: continue</button></form>`;
}

export interface AccountData {
  voterId: string;
  name: string;
  csrf: string;
  balanceCents: number;
  defaults: ReadonlyArray<{ id: string; name: string }>;
  bills: ReadonlyArray<{ bill: Bill; vote: VoteChoice | null; delegate: { id: string; name: string } | null }>;
  properties: readonly Property[];
  smsOptIn: boolean;
  history: readonly SealedEntry[];
  /** Fresh idempotency keys for this page view's money forms. */
  keys: { pay: string; property: string; bid: string };
  notice: { text: string; ok: boolean } | null;
}

const csrfField = (csrf: string): Html => html`<input type="hidden" name="csrf" value="${csrf}">`;

function delegationSection(data: AccountData): Html {
  const list = data.defaults.length === 0 ? html`<p>You have no delegate: only your own votes count for you.</p>`
    : html`<ol id="my-delegates">${data.defaults.map((delegate) => html`<li><a href="/voters/${delegate.id}">${delegate.name}</a>
<form class="inline" method="post" action="/account/recall">${csrfField(data.csrf)}<input type="hidden" name="delegate" value="${delegate.id}">
<button type="submit">Recall</button></form></li>`)}</ol>`;
  return html`<section aria-labelledby="del-h"><h2 id="del-h">Your delegates</h2>${list}
<form method="post" action="/account/delegate">${csrfField(data.csrf)}
<label for="delegate">Delegate's voter number (find it under <a href="/voters">Voters</a>)</label>
<input id="delegate" name="delegate" inputmode="numeric" pattern="[0-9]{1,12}" required>
<label for="rank">Choice</label><select id="rank" name="rank"><option value="1">first</option><option value="2">second</option>
<option value="3">third</option></select>
<label for="del-bill">Only on this bill (optional)</label><select id="del-bill" name="bill"><option value="">every bill</option>
${data.bills.map(({ bill }) => html`<option value="${bill.id}">${billLabel(bill)}</option>`)}</select>
<p><button type="submit">Delegate</button></p></form></section>`;
}

function votesSection(data: AccountData): Html {
  const rows = data.bills.map(({ bill, vote, delegate }) => html`<tr data-bill="${bill.id}"><td><a href="/bills/${bill.id}">${billLabel(bill)}</a> ${bill.title}</td>
<td data-my-vote>${vote ?? 'delegated'}</td><td>${delegate === null ? '' : html`${delegate.name}
<form class="inline" method="post" action="/account/recall">${csrfField(data.csrf)}<input type="hidden" name="bill" value="${bill.id}"><button type="submit">Recall</button></form>`}</td>
<td><form method="post" action="/account/vote">${csrfField(data.csrf)}<input type="hidden" name="bill" value="${bill.id}">
<label for="vote-${bill.id}" class="muted">Vote on ${billLabel(bill)}</label><select id="vote-${bill.id}" name="choice">
${(['yes', 'no', 'abstain', 'absent'] as const).map((choice) => html`<option value="${choice}"${(vote ?? 'absent') === choice ? html` selected` : ''}>${choice === 'absent' ? 'let my delegates vote' : choice}</option>`)}
</select> <button type="submit">Save</button></form></td></tr>`);
  return html`<section aria-labelledby="votes-h"><h2 id="votes-h">Your votes</h2><div class="scroll"><table>
<caption>Your own vote on each bill (without one, your delegates vote for you)</caption><thead><tr><th scope="col">bill</th>
<th scope="col">your vote</th><th scope="col">delegate on this bill</th><th scope="col">change</th></tr></thead><tbody>${rows}</tbody></table></div></section>`;
}

function moneySection(data: AccountData): Html {
  const history = data.history.length === 0 ? html`<p>No money movements yet.</p>`
    : html`<ul id="history">${data.history.map((entry) => html`<li>#${entry.seq} ${new Date(entry.ts).toISOString().slice(0, 10)}
${entry.actor} ${entry.text}</li>`)}</ul>`;
  return html`<section aria-labelledby="money-h"><h2 id="money-h">Delegate money</h2>
<p>Balance: <strong id="balance" data-cents="${data.balanceCents}">${formatCents(data.balanceCents)}</strong></p>
<h3>Pay</h3><form method="post" action="/account/pay">${csrfField(data.csrf)}<input type="hidden" name="key" value="${data.keys.pay}">
<label for="pay-to">Recipient's voter number</label><input id="pay-to" name="to" inputmode="numeric" pattern="[0-9]{1,12}" required>
<label for="pay-amount">Amount (e.g. 10.25)</label><input id="pay-amount" name="amount" required>
<p><button type="submit">Pay</button></p></form>
<h3>Recent history</h3>${history}</section>`;
}

function propertySection(data: AccountData): Html {
  const rows = data.properties.map((property) => {
    const mine = property.owner === data.voterId;
    const highBidMine = property.highBid?.bidder === data.voterId;
    const actions = mine
      ? (property.highBid === null ? html`` : html`<form class="inline" method="post" action="/account/accept">${csrfField(data.csrf)}
<input type="hidden" name="property" value="${property.id}"><button type="submit">Accept high bid</button></form>`)
      : html`<form class="inline" method="post" action="/account/bid">${csrfField(data.csrf)}<input type="hidden" name="key" value="${data.keys.bid}-${property.id}">
<input type="hidden" name="property" value="${property.id}"><label for="bid-${property.id}" class="muted">Bid on ${property.id}</label>
<input id="bid-${property.id}" name="amount" size="8" required> <button type="submit">Bid</button></form>
${highBidMine ? html`<form class="inline" method="post" action="/account/withdraw">${csrfField(data.csrf)}
<input type="hidden" name="property" value="${property.id}"><button type="submit">Withdraw my bid</button></form>` : ''}`;
    return html`<tr data-property="${property.id}"><td>${property.id}</td><td>${property.kind}: ${property.what}${mine ? ' (yours)' : ''}</td>
<td class="num">${formatCents(property.declaredCents)}</td><td class="num">${property.highBid === null ? '—' : formatCents(property.highBid.cents)}</td><td>${actions}</td></tr>`;
  });
  return html`<section aria-labelledby="prop-h"><h2 id="prop-h">Property and offers</h2>
${rows.length === 0 ? html`<p>No property or offers registered yet.</p>` : html`<div class="scroll"><table><caption>Registered property and offers</caption>
<thead><tr><th scope="col">id</th><th scope="col">what</th><th scope="col" class="num">declared</th><th scope="col" class="num">high bid</th>
<th scope="col">act</th></tr></thead><tbody>${rows}</tbody></table></div>`}
<h3>Register property or an offer</h3><form method="post" action="/account/property">${csrfField(data.csrf)}
<input type="hidden" name="key" value="${data.keys.property}"><label for="prop-kind">Kind</label>
<select id="prop-kind" name="kind"><option value="property">property</option><option value="offer">offer</option></select>
<label for="prop-what">What</label><input id="prop-what" name="what" maxlength="200" required>
<label for="prop-amount">Declared value</label><input id="prop-amount" name="amount" required>
<p class="muted">Registering debits your account by the declared value, paid to the sovereigns.</p>
<p><button type="submit">Register</button></p></form></section>`;
}

export function accountPage(data: AccountData): Html {
  const notice = data.notice === null ? ''
    : html`<p class="panel ${data.notice.ok ? 'ok' : 'bad'}" role="${data.notice.ok ? 'status' : 'alert'}" id="notice">${data.notice.text}</p>`;
  return html`${notice}<p>Signed in as ${data.name} (voter ${data.voterId}).</p>
${delegationSection(data)}${votesSection(data)}${moneySection(data)}${propertySection(data)}
<section aria-labelledby="sms-h"><h2 id="sms-h">Text-message receipts</h2>
<p>Receipts for money you receive are <strong id="sms-state">${data.smsOptIn ? 'on' : 'off'}</strong>.</p>
<form method="post" action="/account/sms">${csrfField(data.csrf)}<input type="hidden" name="optIn" value="${data.smsOptIn ? 'off' : 'on'}">
<button type="submit">${data.smsOptIn ? 'Turn receipts off' : 'Turn receipts on'}</button></form></section>`;
}
