// Bills by title words by voice (SPEC §6 vote: "bill by number or keywords"): the run-time bill grammar
// built from this week's list (the structural sample of the House feed, data/bills/), the matcher from
// heard words to bills, and the vote dialog in process with real pocketsphinx, a real redis-server and
// synthesized telephone speech (flite/espeak-ng through a μ-law round trip). Keys keep working as before.
import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createContext, type AppContext } from '../../src/app/context.js';
import { importRollFile } from '../../src/app/roll-import-service.js';
import { parseBillsFeed } from '../../src/bills/house-feed.js';
import { loadConfig } from '../../src/config/config.js';
import type { Bill } from '../../src/core/bill.js';
import { createLogger } from '../../src/config/logger.js';
import { BillTitleIndex } from '../../src/ivr/bill-by-title.js';
import { billGrammarFor } from '../../src/ivr/bill-grammars.js';
import { billsOnTheList, spokenBillChoice } from '../../src/ivr/vote.js';
import { interpretSpeech } from '../../src/ivr/spoken-answer.js';
import { billGrammarKey, buildBillGrammar, titleKeywords } from '../../src/speech/grammar/bill-grammar.js';
import { emptyLexicon } from '../../src/speech/lexicon/lexicon.js';
import { PocketsphinxRecognizer } from '../../src/speech/pocketsphinx/pocketsphinx-recognizer.js';
import type { Recognizer } from '../../src/speech/recognizer.js';
import { writeIowaZip, type HandVoter } from '../support/iowa-zip.js';
import { startTestRedis, type TestRedis } from '../support/redis.js';
import { recognize } from '../speech/support/recognize.js';
import { concat, silence, telephoneSpeech, type TestVoice } from '../speech/support/telephone-tts.js';
import { committedGrammarsOnly } from './support/committed-grammars-only.js';
import { dialByVoice } from './support/voice-dial.js';
import type { Turn } from './support/voice-scripted-channel.js';

const sampleFeed = join(process.cwd(), 'data', 'bills', 'sample-bills-this-week.xml');
const caller: HandVoter = { id: '5001', first: 'sue', last: 'caller', city: 'boone', county: 'boone', phone: '5155550501' };
const delegate: HandVoter = { id: '5002', first: 'mary', last: 'jones', city: 'ames', county: 'story', phone: '5155550502' };
const another: HandVoter = { id: '5003', first: 'tom', last: 'brown', city: 'adel', county: 'dallas', phone: '5155550503' };

function sampleBills(): Bill[] {
  return parseBillsFeed(readFileSync(sampleFeed, 'utf8')).bills;
}

function idOf(bills: readonly Bill[], id: string): number {
  const index = bills.findIndex((bill) => bill.id === id);
  expect(index, `${id} is on the list`).to.be.at.least(0);
  return index;
}

describe('ivr: bills by title words (run-time grammar, matcher)', () => {
  const bills = sampleBills();
  const titles = new BillTitleIndex(bills);

  it('a title\'s salient words leave out function words and legislative boilerplate', () => {
    expect(titleKeywords('To amend title 38, United States Code, to improve veterans\' access to rural clinics'))
      .to.deep.equal(['improve', 'veterans', 'access', 'rural', 'clinics']);
    expect(titleKeywords('Farm Credit Modernization Act of 2026, as amended')).to.deep.equal(['farm', 'credit', 'modernization']);
  });

  it('words of one title find it; words several titles share find them all, for a choice by key', () => {
    expect(titles.match('farm credit')).to.deep.equal([idOf(bills, 'hr1234')]);
    expect(titles.match('the water infrastructure act')).to.deep.equal([idOf(bills, 's789')]);
    expect(titles.match('grain storage').sort()).to.deep.equal([idOf(bills, 'hr2468'), idOf(bills, 'hres56')].sort());
    expect(titles.match('rural clinics')).to.deep.equal([idOf(bills, 'hr5678')]);
    // A word only one of them has decides between bills that share the others.
    expect(titles.match('grain storage inspection')).to.deep.equal([idOf(bills, 'hr2468')]);
    expect(titles.match('numbers')).to.deep.equal([]);
  });

  it('a spoken answer is a place, a choice among several, the list, or none', () => {
    const spoken = spokenBillChoice(bills);
    const said = (text: string, confidence: number) => ({ text, confidence, phones: [] });
    expect(interpretSpeech(spoken, [said('water infrastructure', 0.8)])).to.deep.equal({ kind: 'sure', answer: idOf(bills, 's789') });
    expect(interpretSpeech(spoken, [said('grain storage', 0.9)]))
      .to.deep.equal({ kind: 'sure', answer: { among: [idOf(bills, 'hr2468'), idOf(bills, 'hres56')].sort() } });
    expect(interpretSpeech(spoken, [said('farm credit', 0.4)])).to.deep.equal({ kind: 'unsure', answer: idOf(bills, 'hr1234'),
      said: 'H R 1234, Farm Credit Modernization Act of 2026, as amended' });
    expect(interpretSpeech(spoken, [said('h r five six seven eight', 0.9)])).to.deep.equal({ kind: 'sure', answer: idOf(bills, 'hr5678') });
    expect(interpretSpeech(spoken, [said('the act', 0.9)])).to.deep.equal({ kind: 'none', said: 'the act' });
  });

  it('the grammar key follows the list: the same bills give the same key, a changed title a new one', () => {
    const changed = bills.map((bill) => (bill.id === 's789' ? { ...bill, title: 'Water Rights Act' } : bill));
    expect(billGrammarKey(sampleBills())).to.equal(billGrammarKey(bills));
    expect(billGrammarKey(changed)).to.not.equal(billGrammarKey(bills));
  });

  it('title words no lexicon can say are reported and left out; numbers still work', () => {
    const { grammar, unpronounceable } = buildBillGrammar(bills, emptyLexicon);
    expect(unpronounceable).to.include.members(['infrastructure', 'farm', 'veterans']);
    expect(grammar.words).to.not.include('infrastructure');
    expect(grammar.words).to.include.members(['numbers', 'nine']);
  });

  it('built with CMUdict and espeak-ng, every title word is sayable and in the grammar', async () => {
    const grammar = await billGrammarFor(bills);
    expect(grammar).to.not.equal(null);
    expect(grammar?.grammarKey).to.equal(billGrammarKey(bills));
    for (const word of ['farm', 'veterans', 'infrastructure', 'grain', 'conference', 'the', 'act']) {
      expect(grammar?.words, word).to.include(word);
      expect(grammar?.pronunciations.get(word)?.length ?? 0, word).to.be.greaterThan(0);
    }
    expect(await billGrammarFor(bills)).to.equal(grammar);
  });
});

describe('ivr: bills by title words by voice (real pocketsphinx, real redis)', function () {
  this.timeout(300_000);
  let redis: TestRedis;
  let dir: string;
  let context: AppContext;
  let engine: PocketsphinxRecognizer;
  let calls = 0;

  /** `recognizer`: the engine by default. */
  async function dial(script: Turn[], recognizer: Recognizer = engine): Promise<string[]> {
    calls += 1;
    const transcript = await dialByVoice(context, { recognizer }, `bill-voice-${calls}`, caller.phone, script);
    return transcript.map((line) => `${line.who}: ${line.text}`);
  }

  before(async () => {
    redis = await startTestRedis();
    dir = mkdtempSync(join(tmpdir(), 'dn-ivr-bill-voice-'));
    context = await createContext(loadConfig({ REDIS_SOCKET: redis.server.socketPath, DATA_DIR: dir }),
      createLogger('silent'));
    await writeIowaZip(join(dir, 'roll.zip'), [caller, delegate, another]);
    await importRollFile(context, join(dir, 'roll.zip'));
    await context.democracy.addBills(sampleBills(), 'import');
    engine = await PocketsphinxRecognizer.create({ poolSize: 1 });
    // The first call names a delegate by keyed phone, so later calls go straight to the menu.
    await dial(['44', delegate.phone, '1']);
    expect((await context.store.defaultsOf(caller.id)).delegates).to.deep.equal([delegate.id]);
  });

  after(async () => {
    await engine.close();
    await context.close();
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('recognizes title words of this week\'s bills in three voices', async () => {
    const bills = await billsOnTheList({ context });
    const grammar = await billGrammarFor(bills);
    if (grammar === null) throw new Error('the bill grammar could not be built');
    engine.addGrammar(grammar);
    const spoken = spokenBillChoice(bills, grammar);
    // As a caller might put it, with words the grammar lacks ("to", "and") left in.
    const phrases: Array<[string, string]> = [
      ['farm credit modernization', 'hr1234'], ['the motion to go to conference', 'item'], ['water infrastructure', 's789'],
      ['veterans access to rural clinics', 'hr5678'], ['grain storage safety and inspection', 'hr2468'],
      ['h r twelve thirty four', 'hr1234'],
    ];
    const voices: TestVoice[] = ['flite-kal', 'flite-slt', 'espeak-us'];
    const lines: string[] = [];
    let right = 0;
    for (const voice of voices) {
      for (const [phrase, id] of phrases) {
        const audio = concat(silence(300), await telephoneSpeech(phrase, voice, dir), silence(1_000));
        const heard = await recognize(engine, audio, { context: 'bill', grammarKey: grammar.grammarKey });
        const meaning = interpretSpeech(spoken, heard.hypotheses);
        const answer = meaning.kind === 'none' ? null : meaning.answer;
        const found = typeof answer === 'number' ? bills[answer]?.id.replace(/^item-.*/, 'item') : JSON.stringify(answer);
        if (found === id) right += 1;
        lines.push(`${voice.padEnd(10)} ${phrase.padEnd(36)} → ${heard.hypotheses[0]?.text ?? ''} → ${found ?? 'none'} (${meaning.kind})`);
      }
    }
    console.log(`      ${lines.join('\n      ')}\n      ${right} of ${phrases.length * voices.length} right`);
    expect(right, lines.join('\n')).to.be.at.least(Math.ceil(phrases.length * voices.length * 2 / 3));
  });

  it('"farm credit" said at the bill question → vote yes → recorded, read back, in the audit log', async () => {
    const speech = await telephoneSpeech('farm credit', 'flite-kal', dir);
    // Main menu 2 (politics), 2 (vote), the title words, then 1 (yes); '1' answers a read-back if one comes.
    const lines = await dial(['44', '2', '2', { say: speech }, '1', '1']);
    const transcript = lines.join('\n');
    expect(transcript).to.include('words of its title');
    expect(lines, transcript).to.include('system: Your vote on H R 1234, Farm Credit Modernization Act of 2026, as amended is now yes.');
    expect(await context.store.voteOf(caller.id, 'hr1234')).to.equal('yes');
    await context.auditLog.sealAll();
    const texts = (await context.auditLog.newest(5)).map((entry) => `${entry.actor} ${entry.text}`);
    expect(texts.some((text) => text.startsWith('Sue Caller of Boone') && text.includes('H.R. 1234')), texts.join('\n'))
      .to.equal(true);
  });

  it('"grain storage" fits two bills → "press 1 for …" → key 1 or 2 picks one → vote no', async () => {
    const speech = await telephoneSpeech('grain storage', 'flite-kal', dir);
    const lines = await dial(['44', '2', '2', { say: speech }, '2', '2']);
    const transcript = lines.join('\n');
    const choice = lines.find((line) => line.startsWith('system: Several bills fit.')) ?? '';
    expect(choice, transcript).to.match(/Press 1 for H R 2468, Grain Storage Safety and Inspection Act, 2 for H Res 56/);
    expect(await context.store.voteOf(caller.id, 'hres56')).to.equal('no');
  });

  it('an engine without run-time grammars (as Vosk): the prompt offers bill numbers only, and a number still votes',
    async () => {
      expect(await context.store.voteOf(caller.id, 'hr5678')).to.equal(null);
      const speech = await telephoneSpeech('h r five six seven eight', 'flite-kal', dir);
      // Politics, vote, the number; '1' answers a read-back if one comes, then 1 for yes.
      const text = (await dial(['44', '2', '2', { say: speech }, '1', '1'], committedGrammarsOnly(engine))).join('\n');
      expect(text).to.include('Vote on which bill? Say its number, like H R 1 2 3 4, or say numbers');
      expect(text).not.to.include('words of its title');
      expect(await context.store.voteOf(caller.id, 'hr5678'), text).to.equal('yes');
    });

  it('keys still work: the bill\'s place on the list, then 1 for yes', async () => {
    const bills = await billsOnTheList({ context });
    const place = String(idOf(bills, 's789') + 1);
    const lines = await dial(['44', '2', '2', place, '1']);
    expect(lines, lines.join('\n')).to.include('system: Your vote on S 789, Water Infrastructure Resilience Act is now yes.');
    expect(await context.store.voteOf(caller.id, 's789')).to.equal('yes');
  });

  it('without a name directory the naming question takes a spoken phone number too (read back if unsure)', async () => {
    const speech = await telephoneSpeech('five one five, five five five, zero five zero three', 'flite-kal', dir);
    // Politics 1 (delegate), the number, then '1' for a read-back if one comes and '1' to confirm.
    const lines = await dial(['44', '2', '1', { say: speech }, '1', '1']);
    const transcript = lines.join('\n');
    expect(transcript).to.include('Say or enter the 10-digit phone number of the person you want as your delegate');
    expect(lines, transcript).to.include(
      'system: Please confirm that you want to delegate Tom Brown of Adel. Say yes or no, or press 1 for yes, 2 for no.');
    expect((await context.store.defaultsOf(caller.id)).delegates[0]).to.equal(another.id);
  });
});
