// Tentative voters (phone not in the roll) act without power; when a later roll import shows their
// phone for exactly one voter, their record moves onto that voter in the same atomic switch.
import { expect } from 'chai';
import { join } from 'node:path';
import type { AppContext } from '../../src/app/context.js';
import { importRollFile } from '../../src/app/roll-import-service.js';
import { tallyReport } from '../../src/app/tally-service.js';
import { loadStateAt } from '../../src/app/state-loader.js';
import { tallyBill } from '../../src/core/tally.js';
import { NotAllowedError } from '../../src/core/caller.js';
import { isTentativeId } from '../../src/core/voter.js';
import { writeIowaZip, type HandVoter } from '../support/iowa-zip.js';
import { startHandRollContext, type HandRollContext } from '../support/hand-roll-context.js';
import { thrown } from '../support/thrown.js';

const base: HandVoter[] = [
  { id: '2001', first: 'mary', last: 'smith', city: 'ames', county: 'story', phone: '5155550201' },
  { id: '2002', first: 'john', last: 'doe', city: 'adel', county: 'dallas', phone: '5155550202' },
  { id: '2003', first: 'ann', last: 'lee', city: 'ames', county: 'story', phone: '' },
  { id: '2004', first: 'tom', last: 'fox', city: 'ames', county: 'story', phone: '5155550204' },
  { id: '2005', first: 'amy', last: 'fox', city: 'ames', county: 'story', phone: '5155550204' },
];
const newcomerPhone = '5155550299';
const householdPhone = '5155550298';

describe('app/roll-activation: tentative voters migrate at the next roll import', function () {
  this.timeout(60_000);
  let rig: HandRollContext;
  let dir: string;
  let context: AppContext;

  before(async () => {
    rig = await startHandRollContext({ voters: base, dirPrefix: 'dn-migrate-', rollFile: 'gen1.zip' });
    ({ context, dir } = rig);
    await context.democracy.addBills([{ id: 'hr1', number: 'H.R. 1', title: 'One', week: '' }], 'cli');
  });
  after(async () => rig.stop());

  it('lets an unverified caller do nothing, and a verified tentative caller act without power', async () => {
    const unverified = await context.callers.tentativeCaller(newcomerPhone, false, 'phone');
    expect(await thrown(() => context.democracy.vote(unverified, 'hr1', 'yes'))).to.be.instanceOf(NotAllowedError);

    const tentative = await context.callers.tentativeCaller(newcomerPhone, true, 'phone');
    expect(isTentativeId(tentative.voterId)).to.equal(true);
    expect(tentative.actor).to.equal('515-555-XXXX unregistered');
    expect((await context.callers.tentativeCaller(newcomerPhone, true, 'phone')).voterId).to.equal(tentative.voterId);
    await context.democracy.vote(tentative, 'hr1', 'no');
    await context.democracy.delegate(tentative, '2001');
    const household = await context.callers.tentativeCaller(householdPhone, true, 'phone');
    await context.democracy.vote(household, 'hr1', 'no');
    const report = await tallyReport(context, 'hr1', { at: null, influencers: 0 });
    expect(report.tally).to.deep.include({ no: 0, absent: 5, registered: 5 });
  });

  it('moves the record onto the registered voter the new roll shows, atomically and logged', async () => {
    const tentativeId = await context.store.tentativeIdOf(newcomerPhone);
    await writeIowaZip(join(dir, 'gen2.zip'), [
      ...base,
      { id: '2006', first: 'nora', last: 'new', city: 'ames', county: 'story', phone: newcomerPhone },
      { id: '2007', first: 'pat', last: 'two', city: 'ames', county: 'story', phone: householdPhone },
      { id: '2008', first: 'sam', last: 'two', city: 'ames', county: 'story', phone: householdPhone },
    ]);
    const { report, activation } = await importRollFile(context, join(dir, 'gen2.zip'));
    expect(report.votersImported).to.equal(8);
    expect(activation).to.deep.equal({ migrated: 1, ambiguous: 1 });
    expect(await context.store.voteOf('2006', 'hr1')).to.equal('no');
    expect((await context.store.defaultsOf('2006')).delegates).to.deep.equal(['2001']);
    expect(await context.store.voteOf(tentativeId!, 'hr1')).to.equal(null);
    expect(await context.store.tentativeIdOf(newcomerPhone)).to.equal(null);
    expect(await context.store.tentativeIdOf(householdPhone)).to.not.equal(null);
    const tally = await tallyReport(context, 'hr1', { at: null, influencers: 0 });
    expect(tally.tally).to.deep.include({ no: 1, registered: 8 });
    const newest = await context.auditLog.newest(2);
    expect(newest.map((entry) => entry.text)).to.deep.equal([
      'is now registered: record moves to Nora New of Ames',
      'imports voter roll generation 2 (8 voters)',
    ]);
    expect(newest[0]?.actor).to.equal('515-555-XXXX unregistered');
    // Replaying the log gives the same state as the projection.
    const replayed = await loadStateAt(context.auditLog, context.roll, await context.auditLog.length(), ['hr1']);
    expect(tallyBill(replayed, 'hr1').tally).to.deep.equal(tally.tally);
    // And as of just before the import, the tentative vote carried no power.
    const before = await tallyReport(context, 'hr1', { at: (await context.auditLog.length()) - 2, influencers: 0 });
    expect(before.tally).to.deep.include({ no: 0 });
  });

  it('never turns a delegation into self-delegation when the tentative voter becomes its delegate', async () => {
    const movingPhone = '5155550297';
    const tentative = await context.callers.tentativeCaller(movingPhone, true, 'phone');
    await context.democracy.delegate(tentative, '2002');
    await context.democracy.delegate(tentative, '2002', { bill: 'hr1' });
    const moved = base.map((voter) => (voter.id === '2002' ? { ...voter, phone: movingPhone } : voter));
    await writeIowaZip(join(dir, 'gen3.zip'), moved);
    const { activation } = await importRollFile(context, join(dir, 'gen3.zip'));
    expect(activation.migrated).to.equal(1);
    expect((await context.store.defaultsOf('2002')).delegates).to.deep.equal([]);
    expect(await context.store.billDelegateOf('2002', 'hr1')).to.equal(null);
    expect((await context.store.defaultsOf(tentative.voterId)).raw).to.equal(null);
  });
});
