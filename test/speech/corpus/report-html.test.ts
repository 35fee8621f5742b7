// report.html's failure rows say what was heard: the best reading and its alternatives, or, when the engine
// heard readings it would not offer (the name path's agreement check), those readings and why, not "(nothing)".
import { expect } from 'chai';
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
