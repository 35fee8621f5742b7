// report.html: one self-contained page for a person listening to what went wrong: accuracy per
// context as an inline SVG bar chart, latency per context, outcomes per voice and per channel (the weakest
// first), then every failure with what was heard, what was expected, the top candidates and the audio
// itself (linked relative to the report, so the folder can be moved together with the corpus).
import { relative, sep } from 'node:path';
import { countsBySource, type SourceField } from './by-source.js';
import type { ItemResult } from './runner.js';
import { latencyByContext, type CorpusSummary } from './summary.js';

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const colors = { correct: '#2e7d32', wrongConfident: '#c62828', rejected: '#f9a825' };

/** Stacked horizontal bars: correct, wrong-confident, rejected, as shares of each context's items. */
export function barChartSvg(summary: CorpusSummary): string {
  const entries = Object.entries(summary.contexts);
  const rowHeight = 26;
  const left = 80;
  const width = 420;
  const height = entries.length * rowHeight + 30;
  const rows = entries.map(([context, counts], row) => {
    const y = row * rowHeight + 4;
    let x = left;
    const segments = (['correct', 'wrongConfident', 'rejected'] as const).map((key) => {
      const share = counts.total === 0 ? 0 : counts[key] / counts.total;
      const segment = `<rect x="${x.toFixed(1)}" y="${y}" width="${(share * width).toFixed(1)}" height="18" `
        + `fill="${colors[key]}"><title>${key} ${counts[key]}/${counts.total}</title></rect>`;
      x += share * width;
      return segment;
    }).join('');
    const percent = counts.total === 0 ? 0 : (100 * counts.correct) / counts.total;
    return `<text x="${left - 6}" y="${y + 14}" text-anchor="end">${escapeHtml(context)}</text>${segments}`
      + `<text x="${left + width + 6}" y="${y + 14}">${percent.toFixed(1)} % (${counts.correct}/${counts.total})</text>`;
  }).join('\n');
  const legend = (['correct', 'wrongConfident', 'rejected'] as const).map((key, index) =>
    `<rect x="${left + index * 140}" y="${height - 18}" width="12" height="12" fill="${colors[key]}"/>`
    + `<text x="${left + index * 140 + 16}" y="${height - 8}">${key === 'wrongConfident' ? 'wrong, confident' : key}</text>`)
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${left + width + 130}" height="${height}" `
    + `font-family="sans-serif" font-size="13" role="img" aria-label="accuracy per context">\n${rows}\n${legend}</svg>`;
}

/** Readings the engine heard but offered none of (Recognition.withheld): "(nothing)" would hide them. */
function withheldCell(result: ItemResult): string {
  const withheld = result.withheld;
  if (withheld === undefined) return '';
  const readings = withheld.readings.slice(0, 3)
    .map((reading) => `${escapeHtml(reading.text)} <small>${reading.confidence.toFixed(2)}</small>`).join('<br>');
  const town = result.heard === '' ? '' : `${escapeHtml(result.heard)}<br>`;
  return `${town}(nothing offered)<br><small>withheld: ${readings}<br>why: ${escapeHtml(withheld.why)}</small>`;
}

function failureRow(result: ItemResult, reportDir: string): string {
  // A URL, not a path: each segment encoded, or a file named "take #2.wav" would link to "take " and a fragment.
  const link = relative(reportDir, result.audioPath).split(sep).map(encodeURIComponent).join('/');
  const candidates = result.judgement.candidates.slice(0, 5)
    .map((candidate) => `${escapeHtml(candidate.label)} <small>${escapeHtml(candidate.id)}</small>`).join('<br>');
  const alternatives = result.hypotheses.slice(1, 4)
    .map((hypothesis) => `${escapeHtml(hypothesis.text)} <small>${hypothesis.confidence.toFixed(2)}</small>`).join('<br>');
  const heard = result.error !== null ? `<span class="error">error: ${escapeHtml(result.error)}</span>`
    : result.hypotheses.length === 0 && result.withheld !== undefined ? withheldCell(result)
      : `${escapeHtml(result.heard || '(nothing)')}${alternatives === '' ? '' : `<br><small>also: ${alternatives}</small>`}`;
  return `<tr class="${result.judgement.outcome}"><td>${result.index}</td><td>${escapeHtml(result.item.context)}</td>`
    + `<td>${escapeHtml(result.judgement.outcome)}${result.judgement.note === undefined ? ''
      : `<br><small>${escapeHtml(result.judgement.note)}</small>`}</td>`
    + `<td>${escapeHtml(result.item.expected)}${result.item.expectedAsWritten === undefined ? ''
      : `<br><small>written: ${escapeHtml(result.item.expectedAsWritten)}</small>`}${result.item.text === undefined ? ''
      : `<br><small>said: ${escapeHtml(result.item.text)}</small>`}</td>`
    + `<td>${heard}</td><td>${escapeHtml(result.judgement.value ?? '')}</td><td>${candidates}</td>`
    + `<td><a href="${escapeHtml(link)}">${escapeHtml(result.item.audio)}</a><br>`
    + `<audio controls preload="none" src="${escapeHtml(link)}"></audio>`
    + `<br><small>${escapeHtml(itemSource(result.item))}</small></td></tr>`;
}

/** End-of-speech -> result per context, so a slow grammar shows apart from the rest. */
function latencyTable(results: readonly ItemResult[]): string {
  const rows = Object.entries(latencyByContext({ results: [...results], audioMs: 0, processingMs: 0 }))
    .map(([context, latency]) => `<tr><td>${escapeHtml(context)}</td><td>${latency.p50 ?? '–'}</td>`
      + `<td>${latency.p95 ?? '–'}</td><td>${latency.items}</td></tr>`).join('\n');
  return `<h2>Latency per context</h2>
<table id="latency"><thead><tr><th>context</th><th>p50 ms</th><th>p95 ms</th><th>items</th></tr></thead><tbody>
${rows}
</tbody></table>`;
}

/**
 * Outcomes per voice or per channel, the weakest first, each with a bar of its shares (by-source.ts); nothing
 * when no item names one.
 */
function sourceTable(results: readonly ItemResult[], field: SourceField): string {
  const rows = countsBySource(results, field).map((counts) => {
    const bar = (['correct', 'wrongConfident', 'rejected'] as const).map((key) =>
      `<span style="display:inline-block;height:10px;width:${((100 * counts[key]) / counts.total).toFixed(1)}px;`
      + `background:${colors[key]}"></span>`).join('');
    return `<tr><td>${escapeHtml(counts.source)}</td><td>${counts.total}</td><td>${counts.correct}</td>`
      + `<td>${counts.wrongConfident}</td><td>${counts.rejected}</td>`
      + `<td>${((100 * counts.correct) / counts.total).toFixed(1)} %</td><td>${bar}</td></tr>`;
  });
  if (rows.length === 0) return '';
  return `<h2>Outcomes per ${field}</h2>
<table id="by-${field}"><thead><tr><th>${field}</th><th>items</th><th>correct</th><th>wrong, confident</th>`
    + `<th>rejected</th><th>% correct</th><th></th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table>`;
}

export function reportHtml(options: { summary: CorpusSummary; results: readonly ItemResult[]; reportDir: string;
  title: string; }): string {
  const { summary, results } = options;
  const failures = results.filter((result) => result.judgement.outcome !== 'correct');
  const rows = failures.map((result) => failureRow(result, options.reportDir)).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(options.title)}</title>
<style>
body{font-family:sans-serif;margin:1.5em;color:#222}table{border-collapse:collapse;font-size:14px}
td,th{border:1px solid #ccc;padding:4px 6px;vertical-align:top;text-align:left}
tr.wrong-confident td:nth-child(3){color:#c62828;font-weight:bold}.error{color:#c62828}small{color:#666}
</style></head><body>
<h1>${escapeHtml(options.title)}</h1>
<p>${results.length} items, ${failures.length} not correct. End of speech → result: p50
${summary.latencyMs.p50 ?? '–'} ms, p95 ${summary.latencyMs.p95 ?? '–'} ms. Real-time factor ${summary.realTimeFactor ?? '–'}.</p>
${barChartSvg(summary)}
${latencyTable(results)}
${sourceTable(results, 'voice')}
${sourceTable(results, 'channel')}
<h2>Failures</h2>
${failures.length === 0 ? '<p>None.</p>' : `<table id="failures"><thead><tr><th>#</th><th>context</th><th>outcome</th>
<th>expected</th><th>heard</th><th>understood</th><th>top candidates</th><th>audio</th></tr></thead><tbody>
${rows}
</tbody></table>`}
</body></html>
`;
}

/** Where an item came from, as the generator or operator described it: voice, channel, call. */
function itemSource(item: ItemResult['item']): string {
  return [item.voice, item.channel, item.call === undefined ? '' : `call ${item.call}`].filter(Boolean).join(' · ');
}
