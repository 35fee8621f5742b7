// The signed-in money forms over HTTP, for two voters: register an offer (paid to the sovereigns),
// bid on it from another account (held in escrow), accept; bad amounts are refused with a clear
// notice and move nothing; descriptions are escaped in the page. Sessions are made through the real
// sign-in store (begin → confirm by a verified registered caller → complete); the phone side of that
// is walked by a real sipp call in web-sign-in.test.ts.
import { expect } from 'chai';
import type { RegisteredVoter } from '../../src/core/voter.js';
import { startWebFixture, type WebFixture } from './support/web-fixture.js';

interface Session {
  cookie: string;
}

describe('web: property, offers and bids from the signed-in page', function () {
  this.timeout(120_000);
  let fixture: WebFixture;
  let url: string;
  let owner: RegisteredVoter;
  let bidder: RegisteredVoter;

  async function signIn(voter: RegisteredVoter): Promise<Session> {
    const { signIn: store } = fixture.web.services;
    const { attemptId, attempt } = await store.begin('192.0.2.1');
    expect(await store.confirm(attempt.code, fixture.context.callers.registeredCaller(voter, true, 'phone'))).to.equal('signed-in');
    const completed = await store.complete(attemptId);
    expect(completed).not.to.equal(null);
    expect(await store.complete(attemptId)).to.equal(null); // once only
    return { cookie: `dn_session=${completed?.sessionId ?? ''}` };
  }

  async function accountPage(session: Session): Promise<string> {
    const response = await fetch(`${url}/account`, { headers: { cookie: session.cookie } });
    expect(response.status).to.equal(200);
    return response.text();
  }

  function hidden(page: string, action: string, name: string): string {
    const form = page.slice(page.indexOf(`action="${action}"`));
    return new RegExp(`name="${name}" value="([^"]*)"`).exec(form)?.[1] ?? '';
  }

  async function post(session: Session, action: string, fields: Record<string, string>): Promise<string> {
    const page = await accountPage(session);
    const body = new URLSearchParams({ csrf: hidden(page, action, 'csrf'), ...fields });
    if (page.slice(page.indexOf(`action="${action}"`)).match(/name="key"/) !== null && fields.key === undefined) {
      body.set('key', hidden(page, action, 'key'));
    }
    const response = await fetch(`${url}${action}`, { method: 'POST', redirect: 'manual', body: body.toString(),
      headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' } });
    expect(response.status).to.equal(303);
    return decodeURIComponent(response.headers.get('location') ?? '');
  }

  before(async () => {
    fixture = await startWebFixture({ voters: 300, actions: 0, env: {} });
    const withPhones = fixture.voters.filter((voter) => voter.phone !== null);
    const sovereign = withPhones[0] as RegisteredVoter;
    await fixture.stop();
    // Again, now with a sovereign in the roll (registrations pay the sovereigns).
    fixture = await startWebFixture({ voters: 300, actions: 0, env: { SOVEREIGN_PHONES: sovereign.phone ?? '' } });
    url = fixture.web.url;
    const others = fixture.voters.filter((voter) => voter.phone !== sovereign.phone);
    [owner, bidder] = others.slice(5, 7) as [RegisteredVoter, RegisteredVoter];
    for (const voter of [owner, bidder]) {
      await fixture.context.democracy.delegate(fixture.context.callers.registeredCaller(voter, true, 'cli'), sovereign.id);
    }
  });

  after(async () => {
    await fixture?.stop();
  });

  it('registers an offer, takes an escrowed bid, and accepts it; refuses bad amounts; escapes text', async () => {
    const ownerSession = await signIn(owner);
    const bidderSession = await signIn(bidder);
    const { money } = fixture.context;
    const ownerBefore = await money.balanceOf(owner.id);
    const bidderBefore = await money.balanceOf(bidder.id);

    expect(await post(ownerSession, '/account/property', { kind: 'offer', what: 'Piano <b>lessons</b>', amount: '50' }))
      .to.equal('/account?done=Registered p1.');
    expect(await money.balanceOf(owner.id)).to.equal(ownerBefore - 5_000);
    const page = await accountPage(bidderSession);
    expect(page).to.include('offer: Piano &lt;b&gt;lessons&lt;/b&gt;');
    expect(page).not.to.include('<b>lessons</b>');

    const logBefore = await fixture.context.auditLog.length();
    expect(await post(bidderSession, '/account/bid', { property: 'p1', amount: 'ten dollars and a half' }))
      .to.match(/^\/account\?error=/);
    expect(await post(bidderSession, '/account/bid', { property: 'p1', amount: '-5' })).to.match(/^\/account\?error=/);
    expect(await fixture.context.auditLog.length()).to.equal(logBefore);

    expect(await post(bidderSession, '/account/bid', { property: 'p1', amount: '100' }))
      .to.equal('/account?done=Your bid is held in escrow.');
    expect(await money.balanceOf(bidder.id)).to.equal(bidderBefore - 10_000);
    expect(await post(ownerSession, '/account/accept', { property: 'p1' })).to.equal('/account?done=Accepted: the escrow was paid to you.');
    expect(await money.balanceOf(owner.id)).to.equal(ownerBefore - 5_000 + 10_000);
    const property = await fixture.web.services.properties.get('p1');
    expect(property.property?.owner).to.equal(bidder.id);
    await fixture.context.auditLog.sealAll();
    const texts = (await fixture.context.auditLog.newest(3)).map((entry) => `${entry.channel} ${entry.text}`);
    expect(texts[0]).to.match(/^web accepts \$100\.00 from .* for p1/);
    expect((await money.verify()).ok).to.equal(true);
  });
});
