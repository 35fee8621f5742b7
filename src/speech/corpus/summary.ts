// summary.json (test-audio/README.md): per-context counts, end-of-speech → result latency and the
// real-time factor. Its shape is a contract: exactly these keys.
import { grammarContexts, type GrammarContext } from '../recognizer.js';
import type { Outcome } from './judge.js';
import type { CorpusRun, ItemResult } from './runner.js';

export interface ContextCounts {
  total: number;
  correct: number;
  wrongConfident: number;
  rejected: number;
}

export interface CorpusSummary {
  contexts: Partial<Record<GrammarContext, ContextCounts>>;
  latencyMs: { p50: number | null; p95: number | null };
  /** Processing wall time over audio time (below 1: faster than real time). */
  realTimeFactor: number | null;
}

/** Nearest-rank percentile of sorted values; null for none. */
export function percentile(sorted: readonly number[], fraction: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(fraction * sorted.length)));
  return sorted[rank - 1] ?? null;
}

const round1 = (value: number | null): number | null => (value === null ? null : Math.round(value * 10) / 10);

/** How some results came out (a context's; report.html's, a voice's or a channel's). */
export function countOutcomes(results: readonly ItemResult[]): ContextCounts {
  const count = (outcome: Outcome): number => results.filter((result) => result.judgement.outcome === outcome).length;
  return { total: results.length, correct: count('correct'), wrongConfident: count('wrong-confident'),
    rejected: count('rejected') };
}

export function summarize(run: CorpusRun): CorpusSummary {
  const contexts: Partial<Record<GrammarContext, ContextCounts>> = {};
  // In the port's order, so the file reads the same from run to run.
  for (const context of grammarContexts) {
    const results = run.results.filter((result) => result.item.context === context);
    if (results.length > 0) contexts[context] = countOutcomes(results);
  }
  const latencies = run.results.flatMap((result) => (result.latencyMs === null ? [] : [result.latencyMs]))
    .sort((a, b) => a - b);
  return {
    contexts,
    latencyMs: { p50: round1(percentile(latencies, 0.5)), p95: round1(percentile(latencies, 0.95)) },
    realTimeFactor: run.audioMs === 0 ? null : Math.round((run.processingMs / run.audioMs) * 1000) / 1000,
  };
}

export interface ContextLatency {
  /** Items of the context that got a result. */
  items: number;
  p50: number | null;
  p95: number | null;
}

/**
 * End-of-speech -> result per context (not in summary.json, whose keys are a contract): the name path
 * decodes twice and spelled letters search a large graph, so the overall p95 hides which one is slow.
 */
export function latencyByContext(run: CorpusRun): Partial<Record<GrammarContext, ContextLatency>> {
  const byContext: Partial<Record<GrammarContext, ContextLatency>> = {};
  for (const context of grammarContexts) {
    const latencies = run.results.filter((result) => result.item.context === context)
      .flatMap((result) => (result.latencyMs === null ? [] : [result.latencyMs])).sort((a, b) => a - b);
    if (latencies.length === 0) continue;
    byContext[context] = { items: latencies.length, p50: round1(percentile(latencies, 0.5)),
      p95: round1(percentile(latencies, 0.95)) };
  }
  return byContext;
}

/** "name      latency p50 812.3 ms  p95 1463.0 ms (80 items)" lines for the terminal. */
export function latencyLines(run: CorpusRun): string[] {
  return Object.entries(latencyByContext(run)).map(([context, latency]) => `${context.padEnd(8)} latency`
    + ` p50 ${latency.p50 ?? '–'} ms  p95 ${latency.p95 ?? '–'} ms (${latency.items} items)`);
}

/** "name      57/80  71.3 %  wrong-confident 2  rejected 21" lines for the terminal. */
export function accuracyLines(summary: CorpusSummary): string[] {
  const lines = Object.entries(summary.contexts).map(([context, counts]) => {
    const percent = counts.total === 0 ? 0 : (100 * counts.correct) / counts.total;
    return `${context.padEnd(8)} ${`${counts.correct}/${counts.total}`.padStart(8)} ${percent.toFixed(1).padStart(5)} %`
      + `  wrong-confident ${counts.wrongConfident}  rejected ${counts.rejected}`;
  });
  lines.push(`latency end-of-speech→result p50 ${summary.latencyMs.p50 ?? '–'} ms, p95 ${summary.latencyMs.p95 ?? '–'} ms;`
    + ` real-time factor ${summary.realTimeFactor ?? '–'}`);
  return lines;
}
