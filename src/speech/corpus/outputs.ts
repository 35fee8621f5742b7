// Writes a corpus run's summary.json and report.html into the report folder.
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { reportHtml } from './report-html.js';
import type { CorpusRun } from './runner.js';
import type { CorpusSummary } from './summary.js';

export async function writeCorpusReport(reportDir: string, summary: CorpusSummary, run: CorpusRun,
  title: string): Promise<{ summaryPath: string; reportPath: string }> {
  const dir = resolve(reportDir);
  await mkdir(dir, { recursive: true });
  const summaryPath = join(dir, 'summary.json');
  const reportPath = join(dir, 'report.html');
  await writeFile(summaryPath, `${JSON.stringify(summary, null, 2)}\n`);
  await writeFile(reportPath, reportHtml({ summary, results: run.results, reportDir: dir, title }));
  return { summaryPath, reportPath };
}
