// The tally as an inline SVG bar chart: one labelled bar per outcome, widths proportional to the
// count over all registered voters, with a text equivalent (role=img + title + the table beside it).
import type { Tally } from '../core/tally.js';
import { html, type Html } from './html.js';

const chartWidth = 480;
const labelWidth = 80;
const barHeight = 24;
const barGap = 8;
const colors: Readonly<Record<string, string>> = { yes: '#1b7a33', no: '#b3261e', abstain: '#6b5ca5', absent: '#6e6e6e' };

export const outcomes = ['yes', 'no', 'abstain', 'absent'] as const;

export function percent(part: number, whole: number): string {
  return whole === 0 ? '0.0%' : `${((100 * part) / whole).toFixed(1)}%`;
}

export function tallyChart(tally: Tally, label: string): Html {
  const total = Math.max(1, tally.registered);
  const barsWidth = chartWidth - labelWidth - 70;
  const height = outcomes.length * (barHeight + barGap);
  const description = outcomes.map((outcome) => `${outcome} ${tally[outcome]}`).join(', ');
  const bars = outcomes.map((outcome, index) => {
    const count = tally[outcome];
    const width = Math.round((barsWidth * count) / total);
    const y = index * (barHeight + barGap);
    return html`<g><text x="0" y="${y + 17}" font-size="14">${outcome}</text>
<rect x="${labelWidth}" y="${y}" width="${width}" height="${barHeight}" fill="${colors[outcome] ?? '#444'}" data-outcome="${outcome}" data-count="${count}"></rect>
<text x="${labelWidth + width + 6}" y="${y + 17}" font-size="14">${percent(count, tally.registered)}</text></g>`;
  });
  return html`<svg class="chart" role="img" aria-label="${label}: ${description}" viewBox="0 0 ${chartWidth} ${height}" width="100%" style="max-width:${chartWidth}px">
<title>${label}: ${description}</title>${bars}</svg>`;
}
