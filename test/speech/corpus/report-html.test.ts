// report.html's failure rows say what was heard: the best reading and its alternatives, or, when the engine
// heard readings it would not offer (the name path's agreement check), those readings and why, not "(nothing)";
// and its tables of outcomes per voice and per channel put the weakest first.
import { expect } from 'chai';
import { countsBySource, notGiven } from '../../../src/speech/corpus/by-source.js';
import { reportHtml } from '../../../src/speech/corpus/report-html.js';
import type { ItemResult } from '../../../src/speech/corpus/runner.js';
import { summarize } from '../../../src/speech/corpus/summary.js';
import type { Hypothesis } from '../../../src/speech/recognizer.js';

function nameResult(index: number, hypotheses: Hypothesis[], withheld?: ItemResult['withheld']): ItemResult {
  return {
    index, item: { audio: `audio/name-${index}.wav`, context: 'name', expected: '123456789', text: 'mary jones of ames' },
    audioPath: `/corpus/audio/name-${index}.wav`,
    judgement: { outcome: 'rejected', value: null, candidates: [], note: 'no voter: nothing-heard' },
    heard: hypotheses[0]?.text ?? '', hypotheses, ...(withheld === undefined ? {} : { withheld }), error: null,
    warnings: [], audioMs: 1500, latencyMs: 120, processingMs: 400, end: 'finished',
  };
}

function heardCell(html: string, index: number): string {
  const row = new RegExp(`<tr class="rejected"><td>${index}</td>(.*?)</tr>`, 's').exec(html)?.[1] ?? '';
  return [...row.matchAll(/<td>(.*?)<\/td>/gs)].map((cell) => cell[1] ?? '')[3] ?? '';
}

describe('speech/corpus: report.html', () => {
  const reading = (text: string, confidence: number): Hypothesis => ({ text, confidence, phones: [] });
  const results = [
    nameResult(0, []),
    nameResult(1, [], { readings: [reading('mary jones of ames', 0.94), reading('mary jonas of boone', 0.06)],
      why: 'the fallback finder heard "linda <smith> of boone", neither this town nor this surname' }),
  ];
  const html = reportHtml({ summary: summarize({ results, audioMs: 3000, processingMs: 800 }), results,
    reportDir: '/corpus/report', title: 'withheld' });

  it('says "(nothing)" when nothing at all was heard', () => {
    expect(heardCell(html, 0)).to.equal('(nothing)');
  });

  it('shows readings heard but withheld, with their confidences and why, escaped', () => {
    const cell = heardCell(html, 1);
    expect(cell).to.match(/^\(nothing offered\)<br><small>withheld: mary jones of ames <small>0\.94<\/small><br>/);
    expect(cell).to.include('mary jonas of boone <small>0.06</small>');
    expect(cell).to.include('why: the fallback finder heard &quot;linda &lt;smith&gt; of boone&quot;, neither this town');
  });
});

describe('speech/corpus: report.html outcomes per voice and channel', () => {
  const judged = (index: number, outcome: ItemResult['judgement']['outcome'], voice?: string,
    channel?: string): ItemResult => ({
    index, item: { audio: `audio/digits-${index}.wav`, context: 'digits', expected: '42',
      ...(voice === undefined ? {} : { voice }), ...(channel === undefined ? {} : { channel }) },
    audioPath: `/corpus/audio/digits-${index}.wav`,
    judgement: { outcome, value: outcome === 'rejected' ? null : '42', candidates: [] },
    heard: 'four two', hypotheses: [], error: null, warnings: [], audioMs: 1000, latencyMs: 50, processingMs: 60,
    end: 'end-of-speech',
  });
  const results = [
    judged(0, 'correct', 'flite-kal', 'snr20/wav-ulaw'), judged(1, 'correct', 'flite-kal', 'snr10/wav-ulaw'),
    judged(2, 'wrong-confident', 'espeak <m3>', 'snr20/wav-ulaw'), judged(3, 'correct', 'espeak <m3>', 'snr20/wav-ulaw'),
    judged(4, 'rejected', 'festival', 'snr10/wav-ulaw'), judged(5, 'correct', 'festival', 'snr20/wav-ulaw'),
    judged(6, 'rejected'),
  ];

  it('counts each voice\'s outcomes, the weakest first, with items that name none apart', () => {
    const counts = countsBySource(results, 'voice');
    expect(counts.map((row) => row.source)).to.deep.equal([notGiven, 'espeak <m3>', 'festival', 'flite-kal']);
    expect(counts[1]).to.deep.equal({ source: 'espeak <m3>', total: 2, correct: 1, wrongConfident: 1, rejected: 0 });
    expect(counts[2]).to.deep.equal({ source: 'festival', total: 2, correct: 1, wrongConfident: 0, rejected: 1 });
    expect(counts[3]).to.deep.equal({ source: 'flite-kal', total: 2, correct: 2, wrongConfident: 0, rejected: 0 });
    const channels = countsBySource(results, 'channel');
    expect(channels.map((row) => [row.source, row.correct, row.total])).to.deep.equal(
      [[notGiven, 0, 1], ['snr10/wav-ulaw', 1, 2], ['snr20/wav-ulaw', 3, 4]]);
  });

  it('tables both in the report, escaped, and leaves them out when no item names a voice or channel', () => {
    const html = reportHtml({ summary: summarize({ results, audioMs: 7000, processingMs: 500 }), results,
      reportDir: '/corpus/report', title: 'by source' });
    const voices = /<table id="by-voice">(.*?)<\/table>/s.exec(html)?.[1] ?? '';
    expect(voices).to.include('<td>espeak &lt;m3&gt;</td><td>2</td><td>1</td><td>1</td><td>0</td><td>50.0 %</td>');
    expect(voices.indexOf('festival')).to.be.below(voices.indexOf('flite-kal'));
    expect(html).to.include('<table id="by-channel">');
    const bare = results.map((result) => ({ ...result, item: { audio: result.item.audio, context: result.item.context,
      expected: result.item.expected } }));
    const plain = reportHtml({ summary: summarize({ results: bare, audioMs: 7000, processingMs: 500 }),
      results: bare, reportDir: '/corpus/report', title: 'no sources' });
    expect(plain).not.to.include('by-voice');
    expect(plain).not.to.include('by-channel');
  });
});
