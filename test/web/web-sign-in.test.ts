// Sign-in by phone end to end: a real browser shows the code; a real sipp call (RFC 4733 keys) from
// the voter's registered phone reaches the embedded SIP endpoint, caller trust (loopback is a trusted
// trunk with carrier verstat) and the dialog, whose "web sign-in" verb confirms the code; the page,
// following server-sent events, signs in. Then the signed-in pages change state through the same use
// cases (audit entries with channel "web"), a re-sent payment form pays once, forms without the
// CSRF token are refused, and the cookies carry HttpOnly, Secure and SameSite.
import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { RegisteredVoter } from '../../src/core/voter.js';
import type { DialogEnd } from '../../src/ivr/dialog.js';
import { PhoneLine } from '../../src/ivr/phone-line.js';
import type { TranscriptLine } from '../../src/ivr/session.js';
import { webSignInNeedsVerifiedSentence } from '../../src/ivr/web-sign-in.js';
import { callerMedia } from '../telephony/support/caller-media.js';
import { quietLogger } from '../telephony/support/endpoint.js';
import { writePcap } from '../telephony/support/pcap.js';
import { runSipp } from '../telephony/support/sipp.js';
import { launchBrowser, screenshot, type TestBrowser } from './support/browser.js';
import { startWebFixture, type WebFixture } from './support/web-fixture.js';

const promptSamples = 800; // 100 ms of silence per prompt: calls run at the speed of the keys

describe('web: sign-in by a real phone call, then the signed-in pages', function () {
  this.timeout(120_000);
  let fixture: WebFixture;
  let browser: TestBrowser;
  let page: Page;
  let url: string;
  let line: PhoneLine;
  let voter: RegisteredVoter;
  let payee: RegisteredVoter;
  let transcript: TranscriptLine[] = [];
  let resolveEnded: (end: DialogEnd) => void = () => undefined;
  const rtpPortMin = 40_000 + (process.pid % 50) * 100;

  async function call(options: { phone: string; verstat: string; keys: string }): Promise<string[]> {
    transcript = [];
    const ended = new Promise<DialogEnd>((resolve) => { resolveEnded = resolve; });
    const cwd = mkdtempSync(join(fixture.dir, 'sipp-'));
    writePcap(join(cwd, 'ivr-keys.pcap'), callerMedia({ toneMs: 600, digits: options.keys }));
    const sipp = await runSipp({ scenario: 'ivr-call.xml', target: `127.0.0.1:${line.port}`, cwd, timeoutMs: 35_000,
      extraArgs: ['-key', 'caller', options.phone, '-key', 'verstat', options.verstat] });
    expect(sipp.code, sipp.stderr + sipp.stdout.slice(-2000)).to.equal(0);
    expect(await ended).to.equal('goodbye');
    return transcript.filter((entry) => entry.who === 'system').map((entry) => entry.text);
  }

  before(async () => {
    fixture = await startWebFixture({ voters: 400, actions: 50, env: {
      TRUSTED_TRUNKS: '127.0.0.1', TRUST_CARRIER_VERSTAT: 'true', RATE_LIMIT_CALLS_PER_NUMBER_PER_HOUR: '1000',
      SIP_LISTEN: '127.0.0.1:0', RTP_PORT_MIN: String(rtpPortMin), RTP_PORT_MAX: String(rtpPortMin + 99) } });
    url = fixture.web.url;
    const phoneCounts = new Map<string, number>();
    for (const candidate of fixture.voters) {
      if (candidate.phone !== null) phoneCounts.set(candidate.phone, (phoneCounts.get(candidate.phone) ?? 0) + 1);
    }
    const unique = fixture.voters
      .filter((candidate) => candidate.phone !== null && phoneCounts.get(candidate.phone) === 1);
    [voter, payee] = unique.slice(-2) as [RegisteredVoter, RegisteredVoter];
    // A voter with a delegate has an activation reward, so calls open on the main menu: 2 is politics.
    await fixture.context.democracy.delegate(fixture.context.callers.registeredCaller(voter, true, 'cli'), payee.id);
    line = new PhoneLine({
      context: fixture.context, logger: quietLogger(), endpoint: { timers: { t1Ms: 100, t2Ms: 400, t4Ms: 500 } },
      dialog: {
        synthesizer: { synthesize: async () => new Int16Array(promptSamples) },
        timings: { silenceTimeoutMs: 1_500, interDigitTimeoutMs: 1_200, inactivityHangUpMs: 3_500 },
        captchaDigits: (() => { let draws = 0; return () => [4, 7][draws++ % 2] ?? 0; })(),
        transcript: (entry) => transcript.push(entry),
      },
      onDialogEnd: (_channel, end) => resolveEnded(end),
    });
    await line.start();
    browser = await launchBrowser();
    page = browser.page;
  });

  after(async () => {
    await browser?.close();
    await line?.stop();
    await fixture?.stop();
  });

  const status = async (): Promise<string> => page.evaluate(async () =>
    ((await (await fetch('/api/sign-in/status')).json()) as { status: string }).status);

  it('shows a code; unverified and wrong-code calls do not sign in; the verified call does, through SSE', async () => {
    await page.goto(`${url}/sign-in`);
    const code = await page.locator('#sign-in-code').getAttribute('data-code') ?? '';
    expect(code).to.match(/^\d{6}$/);
    await screenshot(page, '10-sign-in');
    const attemptCookie = (await browser.context.cookies(url)).find((cookie) => cookie.name === 'dn_signin');
    expect(attemptCookie).to.deep.include({ httpOnly: true, secure: true, sameSite: 'Strict' });

    // Unverified: the verb refuses before asking for a code, so the caller only keys 2, 7 and then 9.
    const unverified = await call({ phone: voter.phone ?? '', verstat: 'No-TN-Validation', keys: '47279' });
    expect(unverified).to.include(webSignInNeedsVerifiedSentence);
    expect(await status()).to.equal('pending');

    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    const wrongCall = await call({ phone: voter.phone ?? '', verstat: 'TN-Validation-Passed', keys: `4727${wrong}9` });
    expect(wrongCall).to.include('That code is not valid or has expired. Reload the web page for a new code.');
    expect(await status()).to.equal('pending');
    expect(page.url()).to.equal(`${url}/sign-in`);

    const right = await call({ phone: voter.phone ?? '', verstat: 'TN-Validation-Passed', keys: `4727${code}9` });
    expect(right, right.join('\n')).to.include('Done. Your web page is now signed in.');
    // The page was listening: EventSource hears "confirmed" and submits the continue form.
    await page.waitForURL(`${url}/account`, { timeout: 15_000 });
    expect(await page.locator('main').innerText()).to.include(`Signed in as ${await fixture.context.democracy.nameOf(voter.id)}`);
    const session = (await browser.context.cookies(url)).find((cookie) => cookie.name === 'dn_session');
    expect(session).to.deep.include({ httpOnly: true, secure: true, sameSite: 'Lax' });
    expect((await browser.context.cookies(url)).some((cookie) => cookie.name === 'dn_signin')).to.equal(false);
    await screenshot(page, '11-account');

    // Single use: the same code keyed again is unknown.
    const again = await fixture.web.services.signIn.confirm(code,
      fixture.context.callers.registeredCaller(voter, true, 'phone'));
    expect(again).to.equal('unknown-code');
  });

  it('changes a vote through the form: committed with its audit entry on the web channel', async () => {
    await page.selectOption('#vote-hr1234', 'no');
    await page.click('form[action="/account/vote"]:has(#vote-hr1234) button');
    await page.waitForURL('**/account?done=*');
    expect(await page.locator('#notice').innerText()).to.equal('Saved: your vote is no.');
    expect(await fixture.context.store.voteOf(voter.id, 'hr1234')).to.equal('no');
    await fixture.context.auditLog.sealAll();
    const [entry] = await fixture.context.auditLog.newest(1);
    expect(entry).to.deep.include({ actorId: voter.id, channel: 'web', text: 'votes no on H.R. 1234' });
  });

  it('a payment form sent twice (double click) pays once', async () => {
    const before = await fixture.context.money.balanceOf(voter.id);
    const logBefore = await fixture.context.auditLog.length();
    await page.fill('#pay-to', payee.id);
    await page.fill('#pay-amount', '10.25');
    const answers = await page.evaluate(async () => {
      const form = document.querySelector('form[action="/account/pay"]') as HTMLFormElement;
      const body = new URLSearchParams(new FormData(form) as unknown as Record<string, string>).toString();
      const send = async (): Promise<string> => (await fetch('/account/pay', { method: 'POST', body,
        headers: { 'content-type': 'application/x-www-form-urlencoded' } })).url;
      return [await send(), await send()];
    });
    expect(decodeURIComponent(answers[0] ?? '')).to.include('done=Paid $10.25 to');
    expect(decodeURIComponent(answers[1] ?? '')).to.include('Already paid');
    expect(await fixture.context.money.balanceOf(voter.id)).to.equal(before - 1025);
    expect(await fixture.context.auditLog.length()).to.equal(logBefore + 1);
  });

  it('refuses a form without the CSRF token (403) and changes nothing', async () => {
    const cookie = (await browser.context.cookies(url)).map((entry) => `${entry.name}=${entry.value}`).join('; ');
    const logBefore = await fixture.context.auditLog.length();
    for (const token of ['', 'forged-token-value']) {
      const response = await fetch(`${url}/account/vote`, { method: 'POST', redirect: 'manual',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ csrf: token, bill: 'hr1234', choice: 'yes' }).toString() });
      expect(response.status).to.equal(403);
      expect(await response.text()).to.include('did not come from this site');
    }
    expect(await fixture.context.store.voteOf(voter.id, 'hr1234')).to.equal('no');
    expect(await fixture.context.auditLog.length()).to.equal(logBefore);
  });

  it('opts in to text-message receipts, then signs out', async () => {
    await page.goto(`${url}/account`);
    await page.click('form[action="/account/sms"] button');
    await page.waitForURL('**/account?done=*');
    expect(await page.locator('#sms-state').innerText()).to.equal('on');
    expect(await fixture.context.sms.optedIn(voter.id)).to.equal(true);
    await page.click('form[action="/sign-out"] button');
    await page.waitForURL(`${url}/`);
    await page.goto(`${url}/account`);
    expect(page.url()).to.equal(`${url}/sign-in`);
  });
});
