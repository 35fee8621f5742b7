// Money by voice: the money menu listens with a grammar of its own ("balance", "pay", "mint") and the amount
// question with the amount grammar, as well as the keypad, so a caller can say "pay", then "two dollars and fifty
// cents". Real pocketsphinx on TTS telephone audio, a real redis-server; every
// payment is checked in balances, `ledger verify` and the audit log, and an amount not understood moves nothing.
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createContext, type AppContext } from '../../src/app/context.js';
import { importRollFile } from '../../src/app/roll-import-service.js';
import { loadConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/config/logger.js';
import { moneyMenuGrammar, moneyMenuGrammarKey } from '../../src/ivr/money-menu-grammar.js';
import { balanceSentence, moneyLongPrompt, moneyPrompt, moneySpokenPrompt } from '../../src/ivr/money-menu.js';
import { amountPrompt, spokenAmount } from '../../src/ivr/money-transfer.js';
import { interpretSpeech } from '../../src/ivr/spoken-answer.js';
import { spokenMenu } from '../../src/ivr/spoken-menu.js';
import { PocketsphinxRecognizer } from '../../src/speech/pocketsphinx/pocketsphinx-recognizer.js';
import type { Recognizer } from '../../src/speech/recognizer.js';
import { writeIowaZip, type HandVoter } from '../support/iowa-zip.js';
import { startTestRedis, type TestRedis } from '../support/redis.js';
import { recognize } from '../speech/support/recognize.js';
import { concat, silence, telephoneSpeech, type TestVoice } from '../speech/support/telephone-tts.js';
import { committedGrammarsOnly } from './support/committed-grammars-only.js';
import { dialByVoice } from './support/voice-dial.js';
import type { Turn } from './support/voice-scripted-channel.js';

const pat: HandVoter = { id: '6001', first: 'pat', last: 'payer', city: 'ames', county: 'story', phone: '5155550601' };
const john: HandVoter = { id: '6002', first: 'john', last: 'doe', city: 'ames', county: 'story', phone: '5155550602' };
const sal: HandVoter = { id: '6003', first: 'sal', last: 'sovereign', city: 'adel', county: 'dallas', phone: '5155550603' };

describe('ivr: an amount of delegate money said (real pocketsphinx, real redis)', function () {
  this.timeout(300_000);
  let redis: TestRedis;
  let dir: string;
  let context: AppContext;
  let engine: PocketsphinxRecognizer;
  let calls = 0;

  /** `recognizer`: the engine by default. */
  async function dial(script: Turn[], recognizer: Recognizer = engine): Promise<string[]> {
    calls += 1;
    const transcript = await dialByVoice(context, { recognizer }, `money-voice-${calls}`, pat.phone, script);
    return transcript.filter((line) => line.who === 'system').map((line) => line.text);
  }

  before(async () => {
    redis = await startTestRedis();
    dir = mkdtempSync(join(tmpdir(), 'dn-ivr-money-voice-'));
    context = await createContext(loadConfig({ REDIS_SOCKET: redis.server.socketPath, DATA_DIR: dir,
      SOVEREIGN_PHONES: sal.phone, MONEY_AMOUNT_MAX_CENTS: '500000' }), createLogger('silent'));
    await writeIowaZip(join(dir, 'roll.zip'), [pat, john, sal]);
    await importRollFile(context, join(dir, 'roll.zip'));
    const minter = await context.callers.byVoterId(sal.id, 'cli');
    await context.money.mint(minter, { to: { voter: pat.id }, amountCents: 10_000, idempotencyKey: 'seed-pat-voice' });
    engine = await PocketsphinxRecognizer.create({ poolSize: 1 });
  });

  after(async () => {
    await engine?.close();
    await context?.close();
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads amounts said in three voices as the dialog weighs them, and none as a wrong sure amount', async () => {
    const amounts: Array<[string, number]> = [['ten dollars and twenty five cents', 1_025], ['seven dollars', 700],
      ['fifty cents', 50], ['a hundred and five dollars', 10_500]];
    const voices: TestVoice[] = ['flite-kal', 'flite-slt', 'espeak-us'];
    const lines: string[] = [];
    let right = 0;
    for (const voice of voices) {
      for (const [said, cents] of amounts) {
        const audio = concat(silence(300), await telephoneSpeech(said, voice, dir), silence(1_000));
        const heard = await recognize(engine, audio, { context: 'amount' });
        const meaning = interpretSpeech(spokenAmount, heard.hypotheses);
        const answer = meaning.kind === 'none' ? null : meaning.answer;
        if (answer === cents) right += 1;
        // A wrong amount may be read back (the caller says no), never taken as sure.
        expect(meaning.kind === 'sure' && answer !== cents, `${voice} "${said}" taken as ${answer}`).to.equal(false);
        lines.push(`${voice.padEnd(10)} ${said.padEnd(34)} → ${heard.hypotheses[0]?.text ?? ''} → ${answer} (${meaning.kind})`);
      }
    }
    console.log(`      ${lines.join('\n      ')}\n      ${right} of ${amounts.length * voices.length} right`);
    expect(right, lines.join('\n')).to.be.at.least(Math.ceil(amounts.length * voices.length * 2 / 3));
  });

  it('hears "balance" and "pay" in three voices with the menu\'s own grammar; no word is taken unasked as another',
    async () => {
    const grammar = await moneyMenuGrammar();
    if (grammar === null) throw new Error('the money menu grammar could not be built');
    expect(grammar.grammarKey).to.equal(moneyMenuGrammarKey);
    for (const word of ['balance', 'pay', 'mint']) {
      expect(grammar.pronunciations.get(word)?.length ?? 0, word).to.be.greaterThan(0);
    }
    engine.addGrammar(grammar);
    // The menu's spoken choices (minting is keyed only: "pay" was heard as a sure "mint").
    const menu = spokenMenu({ balance: 'balance', pay: 'pay' }, grammar);
    const voices: TestVoice[] = ['flite-kal', 'flite-slt', 'espeak-us'];
    const lines: string[] = [];
    const wrongSure: string[] = [];
    let right = 0;
    for (const voice of voices) {
      for (const word of ['balance', 'pay', 'mint', 'help']) {
        const audio = concat(silence(300), await telephoneSpeech(word, voice, dir), silence(1_000));
        const heard = await recognize(engine, audio, { context: 'command', grammarKey: grammar.grammarKey });
        const meaning = interpretSpeech(menu, heard.hypotheses);
        const answer = meaning.kind === 'none' ? null : meaning.answer;
        if (answer === word) right += 1;
        if (meaning.kind === 'sure' && answer !== word) wrongSure.push(`${voice} "${word}" taken as ${answer}`);
        lines.push(`${voice.padEnd(10)} ${word.padEnd(8)} → ${heard.hypotheses[0]?.text ?? ''} → ${answer} (${meaning.kind})`);
      }
    }
    console.log(`      ${lines.join('\n      ')}\n      ${right} of ${voices.length * 2} choices right`);
    expect(wrongSure, lines.join('\n')).to.deep.equal([]);
    expect(right, lines.join('\n')).to.be.at.least(Math.ceil(voices.length * 2 * 2 / 3));
  });

  it('"balance" said at the money menu reads the balance; the keys still work', async () => {
    const speech = await telephoneSpeech('balance', 'flite-kal', dir);
    // Sure: the balance, then key 1 hears it again; unsure: read back, 1 for yes, the balance. Then 9.
    const said = await dial(['44', '1', { say: speech }, '1', '9']);
    const transcript = said.join('\n');
    expect(said.some((line) => line.startsWith(moneySpokenPrompt)), transcript).to.equal(true);
    expect(said, transcript).to.include(balanceSentence(await context.money.balanceOf(pat.id)));
    expect(said.at(-1), transcript).to.match(/goodbye/i);
  });

  it('an engine without run-time grammars (as Vosk): the money menu offers keys only, and key 1 reads the balance',
    async () => {
      const said = await dial(['44', '1', '1', '9'], committedGrammarsOnly(engine));
      const text = said.join('\n');
      // The keys alone (the long form for a first-time caller), never the spoken choices.
      const keyed = (line: string): boolean => line.startsWith(moneyPrompt) || line.startsWith(moneyLongPrompt);
      expect(said.some(keyed), text).to.equal(true);
      expect(said.some((line) => line.includes(moneySpokenPrompt)), text).to.equal(false);
      expect(said, text).to.include(balanceSentence(await context.money.balanceOf(pat.id)));
    });

  it('"two dollars and fifty cents" said at the amount question → confirmed → paid once, in the ledger and the log', async () => {
    const logBefore = await context.auditLog.length();
    const speech = await telephoneSpeech('two dollars and fifty cents', 'flite-kal', dir);
    // A sure amount goes straight to the confirmation (1), then the money menu's balance (1); an unsure one is
    // read back first (1), then confirmed (1). Either way the call ends with 9.
    const said = await dial(['44', '1', '2', john.phone, { say: speech }, '1', '1', '9']);
    const transcript = said.join('\n');
    expect(said, transcript).to.include(amountPrompt('send', true));
    expect(said, transcript).to.include('Done. Sent two dollars and fifty cents to John Doe of Ames.');
    expect(await context.money.balanceOf(pat.id)).to.equal(9_750);
    expect(await context.money.balanceOf(john.id)).to.equal(250);
    const verification = await context.ledger.verify();
    expect(verification.ok, JSON.stringify(verification)).to.equal(true);
    await context.auditLog.sealAll();
    const entries = (await context.auditLog.newest(10)).filter((entry) => entry.seq > logBefore)
      .map((entry) => `${entry.actor} ${entry.text}`);
    expect(entries).to.deep.equal(['Pat Payer of Ames pays $2.50 to John Doe of Ames']);
  });

  it('words that are no amount move nothing: the caller hears what was heard and may key the cents', async () => {
    const before = await context.money.balanceOf(pat.id);
    const speech = await telephoneSpeech('politics', 'flite-kal', dir);
    const said = await dial(['44', '1', '2', john.phone, { say: speech }, '100', '#', '2', '9']);
    const transcript = said.join('\n');
    expect(said.some((line) => line.startsWith('Send one dollar to John Doe of Ames?')), transcript).to.equal(true);
    expect(said, transcript).to.include('All right, nothing was sent.');
    expect(await context.money.balanceOf(pat.id)).to.equal(before);
  });
});
