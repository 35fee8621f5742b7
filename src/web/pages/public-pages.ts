// Renderers of the public pages: bills with tallies, one bill (chart, influencers, "as of"), voter
// search and delegation chains, the snapshot page. Pure: data in, Html out; no phone ever passes here.
import type { TallyReport } from '../../app/tally-service.js';
import type { Bill } from '../../core/bill.js';
import type { Tally } from '../../core/tally.js';
import { billLabel } from '../../app/democracy-service.js';
import { outcomes, percent, tallyChart } from '../bar-chart.js';
import { html, type Html } from '../html.js';
import type { VoterHit, VoterQuery } from '../voter-search.js';

export function tallyTable(tally: Tally, caption: string): Html {
  const rows = outcomes.map((outcome) => html`<tr><th scope="row">${outcome}</th>
<td class="num" data-tally="${outcome}">${tally[outcome].toLocaleString('en-US')}</td><td class="num">${percent(tally[outcome], tally.registered)}</td></tr>`);
  return html`<table class="tally"><caption>${caption}</caption><thead><tr><th scope="col">outcome</th>
<th scope="col" class="num">voters</th><th scope="col" class="num">share</th></tr></thead><tbody>${rows}
<tr><th scope="row">registered</th><td class="num" data-tally="registered">${tally.registered.toLocaleString('en-US')}</td><td class="num">100%</td></tr>
</tbody></table>`;
}

export function billsPage(rows: ReadonlyArray<{ bill: Bill; report: TallyReport }>): Html {
  if (rows.length === 0) return html`<p>No bills yet.</p>`;
  const weeks = [...new Set(rows.map((row) => row.bill.week))];
  const items = rows.map(({ bill, report }) => {
    const { tally } = report;
    return html`<tr data-bill="${bill.id}"><td><a href="/bills/${bill.id}">${billLabel(bill)}</a></td><td>${bill.title}</td>
<td>${bill.week}</td>${outcomes.map((outcome) => html`<td class="num" data-tally="${outcome}">${tally[outcome].toLocaleString('en-US')}</td>`)}</tr>`;
  });
  return html`<p>Live tallies over all ${rows[0]?.report.tally.registered.toLocaleString('en-US') ?? 0} registered voters,
as of audit-log entry #${rows[0]?.report.seq ?? 0}. This week's bills (${weeks[0] || 'undated'}) come first.</p>
<div class="scroll"><table><caption>Bills</caption><thead><tr><th scope="col">bill</th><th scope="col">title</th><th scope="col">week</th>
${outcomes.map((outcome) => html`<th scope="col" class="num">${outcome}</th>`)}</tr></thead><tbody>${items}</tbody></table></div>`;
}

export function billPage(bill: Bill, report: TallyReport, options: { at: number | null; logLength: number }): Html {
  const label = billLabel(bill);
  const asOf = options.at === null ? html`now (audit-log entry #${report.seq})` : html`as of audit-log entry #${report.seq}`;
  const influencers = report.influencers.length === 0 ? html`<p>Nobody carries anyone else's vote on this bill yet.</p>`
    : html`<div class="scroll"><table><caption>Top influencers: how many voters' votes resolve through each</caption>
<thead><tr><th scope="col">voter</th><th scope="col" class="num">weight</th><th scope="col">vote</th></tr></thead><tbody>
${report.influencers.map((influencer) => html`<tr data-influencer="${influencer.voter}"><td><a href="/voters/${influencer.voter}?bill=${bill.id}">${influencer.name}</a></td>
<td class="num" data-weight>${influencer.weight.toLocaleString('en-US')}</td><td>${influencer.value}</td></tr>`)}</tbody></table></div>`;
  return html`<p>${bill.title}${bill.week.length > 0 ? html` · week of ${bill.week}` : ''}</p>
<section aria-labelledby="tally-h"><h2 id="tally-h">Tally ${asOf}</h2>
${tallyChart(report.tally, `${label} tally`)}${tallyTable(report.tally, `${label}: effective votes of every registered voter`)}</section>
<section aria-labelledby="infl-h"><h2 id="infl-h">Top influencers</h2>${influencers}</section>
<section aria-labelledby="asof-h"><h2 id="asof-h">Tally as of an earlier moment</h2>
<form method="get" action="/bills/${bill.id}"><label for="at">Audit-log sequence number (1 to ${options.logLength})</label>
<input id="at" name="at" type="number" inputmode="numeric" min="0" max="${options.logLength}" value="${options.at ?? ''}">
<button type="submit">Show tally</button></form>
<p><a href="/api/bills/${bill.id}${options.at === null ? '' : `?at=${options.at}`}">This tally as JSON</a></p></section>`;
}

export function voterSearchPage(
  query: VoterQuery | null, hits: readonly VoterHit[] | null, error: string | null,
): Html {
  const results = hits === null ? html``
    : hits.length === 0 ? html`<p role="status">No voter found with that name in that city.</p>`
      : html`<h2>Results</h2><ul class="results">${hits.map((hit) => html`<li><a href="/voters/${hit.id}">${hit.name}</a>
of ${hit.city}, ${hit.county} county</li>`)}</ul>`;
  return html`<p>Find a voter by name and city to see their delegation chain. (There is no search by phone number.)</p>
${error === null ? '' : html`<p class="bad" role="alert">${error}</p>`}
<form method="get" action="/voters"><label for="last">Last name</label><input id="last" name="last" required autocomplete="off" value="${query?.last ?? ''}">
<label for="first">First name (optional)</label><input id="first" name="first" autocomplete="off" value="${query?.first ?? ''}">
<label for="city">City</label><input id="city" name="city" required autocomplete="off" value="${query?.city ?? ''}">
<p><button type="submit">Search</button></p></form>${results}`;
}

export function voterPage(options: {
  voter: { id: string; name: string; county: string }; bills: readonly Bill[]; bill: Bill | null;
  lines: readonly string[]; seq: number;
}): Html {
  const { voter, bills, bill, lines, seq } = options;
  return html`<p>${voter.name}, ${voter.county} county. Voter number ${voter.id}.</p>
<form method="get" action="/voters/${voter.id}"><label for="bill">Delegation chain on</label>
<select id="bill" name="bill"><option value="">every bill (the general chain)</option>
${bills.map((candidate) => html`<option value="${candidate.id}"${candidate.id === bill?.id ? html` selected` : ''}>${billLabel(candidate)}</option>`)}</select>
<button type="submit">Show</button></form>
<h2>${bill === null ? 'Delegation chain' : html`Chain on ${billLabel(bill)}`}</h2>
<ol class="chain">${lines.map((line) => html`<li>${line}</li>`)}</ol><p class="muted">As of audit-log entry #${seq}.</p>`;
}

export function snapshotPage(logLength: number): Html {
  return html`<p>A snapshot holds all public state (the roll's names, cities and counties; bills; delegations; votes)
at one audit-log sequence number, as gzipped JSON lines. Anyone can import it with
<code>delegate-network snapshot import</code> and recompute every tally.</p>
<p><a href="/snapshot.jsonl.gz" download>Download the snapshot now</a> (entry #${logLength})</p>
<form method="get" action="/snapshot.jsonl.gz"><label for="snap-at">Or as of sequence number</label>
<input id="snap-at" name="at" type="number" inputmode="numeric" min="0" max="${logLength}" required>
<button type="submit">Download</button></form>`;
}

export function messagePage(text: string): Html {
  return html`<p role="alert">${text}</p><p><a href="/">Back to the bills</a></p>`;
}
