// The public pages in a real browser (Debian chromium through playwright-core) on a generated roll
// with seeded delegations and votes: every number on the pages equals what TallyService computes
// (the same as `delegate-network tally`), voter search by name and city reaches the chain the audit
// service explains, the audit log pages newest first, and its verification status, on the server
// and recomputed in the browser, finds a byte tampered in Redis at the right sequence number.
import { expect } from 'chai';
import { gunzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { auditReport, tallyReport } from '../../src/app/tally-service.js';
import { launchBrowser, screenshot, type TestBrowser } from './support/browser.js';
import { fixtureBills, startWebFixture, type WebFixture } from './support/web-fixture.js';

async function tallyOnPage(page: Page, scope: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const outcome of ['yes', 'no', 'abstain', 'absent']) {
    const text = await page.locator(`${scope} [data-tally="${outcome}"]`).first().innerText();
    counts[outcome] = Number(text.replace(/,/g, ''));
  }
  return counts;
}

describe('web: public pages in a real browser', function () {
  this.timeout(120_000);
  let fixture: WebFixture;
  let browser: TestBrowser;
  let page: Page;
  let url: string;

  before(async () => {
    fixture = await startWebFixture({ voters: 3_000, actions: 1_200 });
    url = fixture.web.url;
    browser = await launchBrowser();
    page = browser.page;
  });

  after(async () => {
    await browser?.close();
    await fixture?.stop();
  });

  it('bills page: this week first, and every tally equals the TallyService tally', async () => {
    await page.goto(`${url}/`);
    expect(await page.locator('h1').innerText()).to.equal('Bills before the House');
    const order = await page.locator('tr[data-bill]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-bill')));
    expect(order).to.deep.equal(['hr1234', 'hr99']);
    for (const bill of fixtureBills) {
      const { tally } = await tallyReport(fixture.context, bill.id, { at: null, influencers: 0 });
      expect(tally.yes + tally.no + tally.abstain).to.be.greaterThan(0);
      expect(await tallyOnPage(page, `tr[data-bill="${bill.id}"]`)).to.deep.equal(
        { yes: tally.yes, no: tally.no, abstain: tally.abstain, absent: tally.absent });
    }
    await screenshot(page, '01-bills');
  });

  it('bill page: tally, chart and influencers match; "as of" gives the tally at that sequence number', async () => {
    await page.goto(`${url}/bills/hr1234`);
    const now = await tallyReport(fixture.context, 'hr1234', { at: null, influencers: 10 });
    const expected = { yes: now.tally.yes, no: now.tally.no, abstain: now.tally.abstain, absent: now.tally.absent };
    expect(await tallyOnPage(page, 'table.tally')).to.deep.equal(expected);
    const bars = await page.locator('svg.chart rect').evaluateAll((rects) =>
      Object.fromEntries(rects.map((rect) => [rect.getAttribute('data-outcome'), Number(rect.getAttribute('data-count'))])));
    expect(bars).to.deep.equal(expected);
    const influencers = await page.locator('tr[data-influencer]').evaluateAll((rows) => rows.map((row) => [
      row.getAttribute('data-influencer'), Number((row.querySelector('[data-weight]')?.textContent ?? '').replace(/,/g, ''))]));
    expect(influencers).to.deep.equal(now.influencers.map((influencer) => [influencer.voter, influencer.weight]));
    expect(influencers.length).to.be.greaterThan(0);
    await screenshot(page, '02-bill');

    const at = Math.floor(now.seq / 2);
    await page.fill('#at', String(at));
    await page.click('form[action="/bills/hr1234"] button');
    await page.waitForURL(`**/bills/hr1234?at=${at}`);
    const past = await tallyReport(fixture.context, 'hr1234', { at, influencers: 0 });
    expect(past.tally).not.to.deep.equal(now.tally);
    expect(await tallyOnPage(page, 'table.tally')).to.deep.equal(
      { yes: past.tally.yes, no: past.tally.no, abstain: past.tally.abstain, absent: past.tally.absent });
    expect(await page.locator('#tally-h').innerText()).to.include(`as of audit-log entry #${at}`);
    await screenshot(page, '03-bill-as-of');
  });

  it('voters: search by name and city, then the delegation chain the audit service explains', async () => {
    const delegators: string[] = [];
    for await (const batch of fixture.context.store.scanDefaults()) delegators.push(...batch.map(([voter]) => voter));
    const voter = fixture.voters.find((candidate) => delegators.includes(candidate.id));
    expect(voter).not.to.equal(undefined);
    if (voter === undefined) return;
    await page.goto(`${url}/voters`);
    await page.fill('#last', voter.name.last);
    await page.fill('#city', voter.city);
    await page.click('form[action="/voters"] button');
    await page.waitForURL('**/voters?**');
    await screenshot(page, '04-voter-search');
    await page.click(`a[href="/voters/${voter.id}"]`);
    await page.waitForURL(`**/voters/${voter.id}`);
    const lines = await page.locator('ol.chain li').allInnerTexts();
    const { lines: expected } = await auditReport(fixture.context, voter.id, null, null);
    expect(lines).to.deep.equal(expected);
    expect(lines.join(' ')).to.include('delegates');
    await screenshot(page, '05-voter-chain');
  });

  it('audit log: newest first, paging, verified by the server and again by the browser', async () => {
    const sealed = await fixture.context.auditLog.sealAll();
    await page.goto(`${url}/log`);
    const seqs = async (): Promise<number[]> => (await page.locator('#log tbody tr').evaluateAll(
      (rows) => rows.map((row) => Number(row.getAttribute('data-seq')))));
    const first = await seqs();
    expect(first).to.deep.equal(Array.from({ length: 50 }, (_, index) => sealed - index));
    expect(await page.locator('#chain-status').getAttribute('data-ok')).to.equal('true');
    await page.click('a[rel="next"]');
    await page.waitForURL(`**/log?before=${sealed - 49}`);
    expect(await seqs()).to.deep.equal(Array.from({ length: 50 }, (_, index) => sealed - 50 - index));
    await page.click('#recheck');
    await page.waitForSelector('#browser-status[data-ok]');
    expect(await page.locator('#browser-status').getAttribute('data-ok')).to.equal('true');
    expect(await page.locator('#browser-status').innerText()).to.include('50 hashes');
    await page.click('#recheck-all');
    await page.waitForFunction(() => document.getElementById('browser-status')?.textContent?.includes('intact') === true
      || document.getElementById('browser-status')?.dataset.ok === 'false');
    expect(await page.locator('#browser-status').innerText()).to.include(`all ${sealed} hashes`);
    await screenshot(page, '06-log');
    await page.goto(`${url}/log?q=${encodeURIComponent('votes yes')}`);
    const texts = await page.locator('#log tbody tr td:nth-child(3)').allInnerTexts();
    expect(texts.length).to.be.greaterThan(0);
    expect(texts.every((text) => text.includes('votes yes'))).to.equal(true);
  });

  it('a byte tampered in Redis: the server and the browser both report the break at its sequence number', async () => {
    const redis = fixture.redis.client();
    const sealed = await fixture.context.auditLog.sealAll();
    const target = Math.floor(sealed / 3);
    const key = fixture.context.auditLog.entriesKey;
    const original = await redis.lindex(key, target - 1);
    expect(original).to.be.a('string');
    if (original === null) return;
    // One byte of the public text changes case; the JSON stays valid, only the hash no longer matches.
    const at = original.indexOf('"text":"') + 8;
    const flipped = original.slice(0, at) + (original[at] === 'X' ? 'Y' : 'X') + original.slice(at + 1);
    await redis.lset(key, target - 1, flipped);
    try {
      await page.goto(`${url}/log?before=${target + 5}`);
      const status = page.locator('#chain-status');
      expect(await status.getAttribute('data-ok')).to.equal('false');
      expect(await status.getAttribute('data-broken-at')).to.equal(String(target));
      expect(await status.innerText()).to.include(`BROKEN at entry #${target}`);
      await page.click('#recheck');
      await page.waitForSelector('#browser-status[data-ok]');
      expect(await page.locator('#browser-status').getAttribute('data-ok')).to.equal('false');
      expect(await page.locator('#browser-status').innerText()).to.include(`break at entry #${target}`);
      expect(await page.locator(`[data-check="${target}"]`).innerText()).to.include('broken');
      await screenshot(page, '07-log-tampered');
    } finally {
      await redis.lset(key, target - 1, original);
    }
    const healed = await (await fetch(`${url}/api/log/verify`)).json() as { ok: boolean };
    expect(healed.ok).to.equal(true);
  });

  it('snapshot: the page links a download whose header names the current sequence number', async () => {
    await page.goto(`${url}/snapshot`);
    await screenshot(page, '08-snapshot');
    const href = await page.locator('a[download]').getAttribute('href');
    expect(href).to.equal('/snapshot.jsonl.gz');
    const response = await fetch(`${url}${href}`);
    expect(response.status).to.equal(200);
    const lines = gunzipSync(Buffer.from(await response.arrayBuffer())).toString('utf8').trim().split('\n');
    const header = JSON.parse(lines[0] ?? '{}') as { type: string; seq: number; registered: number };
    expect(header).to.deep.include({ type: 'snapshot', seq: await fixture.context.auditLog.sealAll(), registered: 3_000 });
    expect(lines.filter((line) => line.includes('"type":"voter"'))).to.have.length(3_000);
  });
});
