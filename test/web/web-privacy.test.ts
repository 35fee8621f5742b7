// Phone numbers never appear in public HTML or JSON: every page reachable by links from the home page,
// every public JSON endpoint (bills, voters, chains, log pages and ranges, verification) and the
// snapshot are fetched on a generated roll with delegations and votes, and scanned for every roll
// phone (in three spellings) and for any run of ten digits. Hashes of the audit log, millisecond
// timestamps and money amounts in JSON number fields (the mint's balance in a snapshot passes ten digits
// of cents) are the only long digit runs allowed; they are cut out before the ten-digit scan.
// Also /healthz and /metrics, and the per-address limit on sign-in codes.
import { expect } from 'chai';
import { gunzipSync } from 'node:zlib';
import { startWebFixture, type WebFixture } from './support/web-fixture.js';
import { genesisHash } from '../../src/core/audit-entry.js';
import { codesPerAddressMax } from '../../src/web/sign-in-store.js';

const crawlPagesMax = 400;

describe('web: no phone number in any public page or JSON; health and metrics', function () {
  this.timeout(120_000);
  let fixture: WebFixture;
  let url: string;
  let phones: string[];
  let hashes: string[];

  before(async () => {
    fixture = await startWebFixture({ voters: 1_500, actions: 600 });
    url = fixture.web.url;
    phones = fixture.voters.flatMap((voter) => (voter.phone === null ? [] : [voter.phone]));
    hashes = [genesisHash];
    for await (const entry of fixture.context.auditLog.readSealed()) hashes.push(entry.hash);
  });

  after(async () => {
    await fixture?.stop();
  });

  function assertNoPhone(where: string, text: string): void {
    for (const phone of phones) {
      const spellings = [phone, `${phone.slice(0, 3)}-${phone.slice(3, 6)}-${phone.slice(6)}`,
        `(${phone.slice(0, 3)}) ${phone.slice(3, 6)}-${phone.slice(6)}`];
      for (const spelling of spellings) expect(text.includes(spelling), `${where} shows ${spelling}`).to.equal(false);
    }
    let stripped = text.replace(/"(ts|checkedAt|cents|amount)":-?\d+/g, '"$1":0');
    for (const hash of hashes) {
      stripped = stripped.split(hash).join('#').split(hash.slice(0, 16)).join('#').split(hash.slice(0, 12)).join('#');
    }
    const run = /\d{10}/.exec(stripped);
    expect(run, `${where} has a ten-digit run near ${stripped.slice(Math.max(0, (run?.index ?? 0) - 40), (run?.index ?? 0) + 20)}`)
      .to.equal(null);
  }

  it('crawls every linked public page and every public JSON endpoint', async () => {
    const seen = new Set<string>();
    const queue = ['/', '/log', '/voters', '/snapshot', '/api', '/api/bills', '/api/log', '/api/log/verify',
      '/api/log/range?from=1&limit=1000', '/api/log/range?from=1001&limit=1000', '/healthz'];
    // A few searches and chains reach voters' pages through the form, as a visitor would.
    for (const voter of fixture.voters.slice(0, 15)) {
      queue.push(`/voters?last=${encodeURIComponent(voter.name.last)}&city=${encodeURIComponent(voter.city)}`);
      queue.push(`/api/voters?last=${encodeURIComponent(voter.name.last)}&city=${encodeURIComponent(voter.city)}`);
      queue.push(`/api/voters/${voter.id}`, `/api/voters/${voter.id}?bill=hr1234`);
    }
    while (queue.length > 0 && seen.size < crawlPagesMax) {
      const path = queue.shift() ?? '/';
      if (seen.has(path)) continue;
      seen.add(path);
      const response = await fetch(`${url}${path}`);
      expect(response.status, path).to.equal(200);
      const body = await response.text();
      assertNoPhone(path, body);
      for (const match of body.matchAll(/href="(\/[^"#]*)"/g)) {
        const link = (match[1] ?? '').replace(/&amp;/g, '&');
        if (!link.startsWith('/snapshot.jsonl.gz') && !link.startsWith('/sign-in') && !seen.has(link)) queue.push(link);
      }
    }
    expect(seen.size).to.be.greaterThan(60);
    expect([...seen].some((path) => /^\/voters\/\d+/.test(path))).to.equal(true);
    expect([...seen].some((path) => path.startsWith('/log?before='))).to.equal(true);
    const snapshot = gunzipSync(Buffer.from(await (await fetch(`${url}/snapshot.jsonl.gz`)).arrayBuffer())).toString('utf8');
    expect(snapshot.split('\n').length).to.be.greaterThan(1_500);
    assertNoPhone('snapshot', snapshot);
  });

  it('refuses a search by phone number with a clear error', async () => {
    const phone = phones[0] ?? '5155550100';
    const response = await fetch(`${url}/api/voters?last=${phone}&city=ames`);
    expect(response.status).to.equal(400);
    expect(await response.json()).to.deep.equal({ error: 'last name may hold only letters, spaces, hyphens and apostrophes' });
    const page = await fetch(`${url}/voters?last=${phone}&city=ames`);
    expect(page.status).to.equal(400);
    assertNoPhone('refused search page', await page.text());
  });

  it('/healthz checks Redis; /metrics counts HTTP requests by route and reads the log length', async () => {
    expect(await (await fetch(`${url}/healthz`)).json()).to.deep.equal({ ok: true, redis: 'PONG' });
    await fetch(`${url}/bills/hr1234`);
    await fetch(`${url}/bills/hr99`);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    const requests = /dn_http_requests_total\{method="GET",route="\/bills\/:id",status="200"\} (\d+)/.exec(metrics);
    expect(Number(requests?.[1])).to.be.at.least(2);
    const entries = /^dn_audit_log_entries (\d+)$/m.exec(metrics);
    expect(Number(entries?.[1])).to.equal(await fixture.context.auditLog.length());
    expect(metrics).to.match(/^dn_money_supply_cents \d+$/m);
  });

  it('limits sign-in codes per address and answers 429 with a clear page', async () => {
    const statuses: number[] = [];
    for (let index = 0; index < codesPerAddressMax; index += 1) statuses.push((await fetch(`${url}/sign-in`)).status);
    expect(statuses).to.deep.equal(Array.from({ length: codesPerAddressMax }, () => 200));
    const refused = await fetch(`${url}/sign-in`);
    expect(refused.status).to.equal(429);
    expect(await refused.text()).to.include('too many sign-in codes from this address');
  });
});
