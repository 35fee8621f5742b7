// Writes a corpus run's summary.json and report.html into the report folder, which is made before the run.
import { constants } from 'node:fs';
import { access, mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { reportHtml } from './report-html.js';
import type { CorpusRun } from './runner.js';
import type { CorpusSummary } from './summary.js';

/** The report folder cannot be made or written (the CLI: exit 2, before any audio is heard). */
export class ReportDirError extends Error {
  override name = 'ReportDirError';
}

/**
 * The report folder, made and checked writable before the run: a corpus of an hour must not be heard in vain
 * and then fail where its results were to go.
 */
export async function prepareReportDir(reportDir: string): Promise<string> {
  const dir = resolve(reportDir);
  try {
    await mkdir(dir, { recursive: true });
    await access(dir, constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'EEXIST' || code === 'ENOTDIR' ? 'a file is in the way' : code ?? String(error);
    throw new ReportDirError(`${reportDir} cannot be made a writable folder (${why})`);
  }
  return dir;
}

export async function writeCorpusReport(reportDir: string, summary: CorpusSummary, run: CorpusRun,
  title: string): Promise<{ summaryPath: string; reportPath: string }> {
  const dir = await prepareReportDir(reportDir);
  const summaryPath = join(dir, 'summary.json');
  const reportPath = join(dir, 'report.html');
  await writeFile(summaryPath, `${JSON.stringify(summary, null, 2)}\n`);
  await writeFile(reportPath, reportHtml({ summary, results: run.results, reportDir: dir, title }));
  return { summaryPath, reportPath };
}
