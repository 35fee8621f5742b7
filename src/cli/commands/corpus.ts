// corpus run: the speech regression corpus runner (test-audio/README.md). Prints accuracy per
// context and writes summary.json and report.html. A manifest that cannot be used exits 2; a bad
// audio file is a per-item error in the report.
import type { Command } from 'commander';
import { loadConfig, readEnvironment } from '../../config/config.js';
import { RollImportError } from '../../roll/errors.js';
import { jurisdictionFor } from '../../roll/jurisdictions.js';
import { runCorpusFiles } from '../../speech/corpus/corpus-run.js';
import { ManifestError } from '../../speech/corpus/manifest.js';
import { ReportDirError } from '../../speech/corpus/outputs.js';
import { RecognizerUnavailableError } from '../../speech/recognizer.js';
import { pocketsphinxSettingsOf } from '../../speech/factory.js';
import { accuracyLines, latencyLines } from '../../speech/corpus/summary.js';
import { runNameStages } from '../../speech/corpus/name-stages-run.js';
import { disputeFinderLeadMeasured, disputeLeadMeasured, swapLeadMeasured } from '../../speech/names/city-dispute.js';
import { parsePhoneLoopSettings } from '../../speech/names/phone-loop-confidence.js';
import { fitGapMinDefault } from '../../speech/names/reading-fit.js';
import type { PhoneLoopSettings } from '../../speech/names/two-pass-name-recognizer.js';
import type { NamePathSettings } from '../../speech/corpus/engine.js';
import { createProgress } from '../progress.js';
import { parsePositiveInteger, parseWholeNumber, print, UsageError } from '../run.js';

const recognizers = ['pocketsphinx', 'vosk'] as const;

/** A bad manifest or roll, or an engine that cannot start, is the caller's to fix (exit 2); the rest stays. */
function usageErrorOf(error: unknown): unknown {
  if (error instanceof ManifestError) return new UsageError(error.message);
  if (error instanceof RollImportError) return new UsageError(`--roll: ${error.message}`);
  if (error instanceof ReportDirError) return new UsageError(`--report: ${error.message}`);
  if (error instanceof RecognizerUnavailableError) {
    return new UsageError(`--recognizer: ${error.message} (the run measures the engine it names, never another)`);
  }
  return error;
}

export function registerCorpusCommands(program: Command): void {
  const corpus = program.command('corpus').description('the speech regression corpus');

  withNamePathOptions(corpus.command('run')
    .description('recognize every item of a corpus manifest against a roll; print accuracy per context, '
      + 'write summary.json and report.html')
    .requiredOption('--roll <zip>', 'voter roll export ZIP the names are looked up in')
    .requiredOption('--manifest <json>', 'corpus manifest ({"items":[{"audio","context","expected"}]})')
    .option('--recognizer <engine>', `speech engine: ${recognizers.join(' | ')}`, 'pocketsphinx')
    .option('--report <dir>', 'folder for summary.json and report.html', 'corpus-report')
    .option('--concurrency <n>', 'items recognized at once', '1')
    .option('--paced', 'stream each file in real time (20 ms frames on the wall clock), so the latency is '
      + 'what a caller waits; without it files are streamed as fast as they can be written')
    .option('--read-back-ms <ms>', 'a name said after its town (cityAudio items): the time the dialog reads the town '
      + 'back, while the name\'s grammars are readied (0: the name\'s latency includes building them)', '0'))
    .action(async (options: NamePathSwitches & { roll: string; manifest: string; recognizer: string; report: string;
      concurrency: string; paced?: boolean; readBackMs: string }) => {
      if (!(recognizers as readonly string[]).includes(options.recognizer)) {
        throw new UsageError(`--recognizer must be one of ${recognizers.join(', ')}, got "${options.recognizer}"`);
      }
      const concurrency = parsePositiveInteger(options.concurrency, '--concurrency');
      const readBackMs = parseWholeNumber(options.readBackMs, '--read-back-ms');
      const config = loadConfig(readEnvironment());
      const progress = createProgress('recognizing', 'items');
      try {
        const outcome = await runCorpusFiles({
          rollPath: options.roll, manifestPath: options.manifest, reportDir: options.report,
          engine: options.recognizer as (typeof recognizers)[number], concurrency,
          jurisdiction: jurisdictionFor(config.stateOrProvince), voskModel: config.voskModel,
          pocketsphinx: pocketsphinxSettingsOf(config),
          paced: options.paced === true, readBackMs, ...namePathSettings(options),
          onItem: (done, total) => progress.update(done, total),
        });
        progress.stop();
        for (const line of [...accuracyLines(outcome.summary), ...latencyLines(outcome.run)]) print(line);
        const errors = outcome.run.results.filter((result) => result.error !== null).length;
        if (errors > 0) print(`${errors} item(s) could not be recognized; see the report`);
        print(`wrote ${outcome.summaryPath} and ${outcome.reportPath}`);
      } catch (error) {
        throw usageErrorOf(error);
      } finally {
        progress.stop();
      }
    });

  withNamePathOptions(corpus.command('name-stages')
    .description('where the name path loses the right voter: per name item, the right city in pass 1, the '
      + 'fallback finder and pass 2, the right voter in pass 2, the matcher\'s decision; prints a table per split '
      + 'and writes name-stages.json')
    .requiredOption('--roll <zip>', 'voter roll export ZIP the names are looked up in')
    .requiredOption('--manifest <json>', 'corpus manifest (only its name items are run)')
    .option('--report <dir>', 'folder for name-stages.json', 'corpus-report'))
    .action(async (options: NamePathSwitches & { roll: string; manifest: string; report: string }) => {
      const config = loadConfig(readEnvironment());
      const progress = createProgress('recognizing', 'names');
      try {
        const outcome = await runNameStages({ rollPath: options.roll, manifestPath: options.manifest,
          reportDir: options.report, jurisdiction: jurisdictionFor(config.stateOrProvince),
          ...namePathSettings(options),
          pocketsphinx: pocketsphinxSettingsOf(config),
          onItem: (done, total) => progress.update(done, total) });
        progress.stop();
        for (const line of outcome.lines) print(line);
        print(`wrote ${outcome.path}`);
      } catch (error) {
        throw usageErrorOf(error);
      } finally {
        progress.stop();
      }
    });
}

/** The name path's switches, the same on `corpus run` and `corpus name-stages`. */
interface NamePathSwitches {
  nameFitGapMin?: string;
  namePhoneLoop?: string;
  nameCityAgreement?: string;
  nameDisputeLead?: string;
  nameDisputeFinderLead?: string;
  nameDisputeSwap?: string;
  nameTownFinder?: string;
}

function withNamePathOptions(command: Command): Command {
  return command
    .option('--name-fit-gap-min <score>', 'when the fallback finder named the city, leave its reading out of the '
      + 'mixture when pass 2\'s voter fits the audio within this path-score gap per frame of the finder\'s own reading '
      + `(README, speech); "on" (the default, as serve runs) is the measured ${fitGapMinDefault}, "off" always mixes `
      + 'it in', 'on')
    .option('--name-phone-loop <how>', 'measure pass 2\'s voters against a phone loop (off by default: README, '
      + 'speech): "on" with the measured thresholds (13:8), "measure" only records the gaps, "A:R" offers a voter whose '
      + 'gap per frame is at least A without the finders\' dissent and rejects one below R (either side may be empty)')
    .option('--name-dispute-lead <lead>', 'when the agreement check fails, decode the finder\'s city too and offer the '
      + 'voter that fits the audio better by at least this lead per frame, the finder\'s city\'s only when the finder '
      + 'heard a name of it (README, speech); '
      + `"on" (the default, as serve runs) is the measured ${disputeLeadMeasured}, "off" asks again`, 'on')
    .option('--name-dispute-finder-lead <lead>', 'the lead the finder\'s city\'s voter needs in a dispute, the finder '
      + `having heard a word of its name; "on" (the default, as serve runs) is the measured ${disputeFinderLeadMeasured}, `
      + '"off" the same lead as --name-dispute-lead', 'on')
    .option('--name-dispute-swap <lead>', 'when the voters leave a dispute unsettled, say both voters\' names in both '
      + 'cities and offer the city both fit better by at least this lead per frame (README, speech); "on" (the '
      + `default, as serve runs) is the measured ${swapLeadMeasured}, "off" asks again`, 'on')
    .option('--name-city-agreement <on|off>', 'offer a voter only when the fallback finder heard its city or surname too (on by '
      + 'default, as serve runs: README, speech); off measures the path without the check', 'on')
    .option('--name-town-finder <on|off>', 'a name said after its town (cityAudio items) is also heard by the town\'s '
      + 'free name slots, read when no voter path ended (off by default, as serve runs)', 'off');
}

/** The switches as the corpus tools' NamePathSettings (null: off, as serve runs). */
function namePathSettings(switches: NamePathSwitches): Required<NamePathSettings> {
  return { fitGapMin: parseFitGapMin(switches.nameFitGapMin), phoneLoop: parsePhoneLoopOption(switches.namePhoneLoop),
    cityAgreement: parseOnOff(switches.nameCityAgreement ?? 'on', '--name-city-agreement'),
    disputeLeadMin: parseLead(switches.nameDisputeLead, disputeLeadMeasured, '--name-dispute-lead'),
    disputeFinderLeadMin: parseLead(switches.nameDisputeFinderLead, disputeFinderLeadMeasured,
      '--name-dispute-finder-lead'),
    disputeSwapLeadMin: parseLead(switches.nameDisputeSwap, swapLeadMeasured, '--name-dispute-swap'),
    townFinder: parseOnOff(switches.nameTownFinder ?? 'off', '--name-town-finder') };
}

/** --name-dispute-lead and --name-dispute-swap: "on" (the measured lead), "off" (null) or a lead per frame from 0. */
function parseLead(value: string | undefined, measured: number, option: string): number | null {
  return parseSwitchedNumber(value, measured, option, `a score lead per frame from 0 (e.g. ${measured})`, 0);
}

/**
 * A switch that is "on" (absent too: `measured`), "off" (null) or a number of at least `min`; `what` names the
 * number in the usage error.
 */
function parseSwitchedNumber(value: string | undefined, measured: number, option: string, what: string,
  min = -Infinity): number | null {
  if (value === undefined || value.trim() === 'on') return measured;
  if (value.trim() === 'off') return null;
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number) || number < min) {
    throw new UsageError(`${option} must be "on", "off" or ${what}, got "${value}"`);
  }
  return number;
}

function parseOnOff(value: string, option: string): boolean {
  if (value === 'on' || value === 'off') return value === 'on';
  throw new UsageError(`${option} must be on or off, got "${value}"`);
}

/** --name-phone-loop: "on", "measure" or "accept:reject" gaps per frame (phone-loop-confidence.ts). */
function parsePhoneLoopOption(value: string | undefined): PhoneLoopSettings | null {
  if (value === undefined) return null;
  try {
    return parsePhoneLoopSettings(value);
  } catch (error) {
    throw new UsageError(`--name-phone-loop: ${(error as Error).message}`);
  }
}

/**
 * --name-fit-gap-min: "on" (the measured gap), "off" (null) or a path-score gap per frame (negative: how much worse
 * than the free reading the voter may fit).
 */
function parseFitGapMin(value: string | undefined): number | null {
  return parseSwitchedNumber(value, fitGapMinDefault, '--name-fit-gap-min',
    `a number (a path-score gap per frame, e.g. ${fitGapMinDefault})`);
}
