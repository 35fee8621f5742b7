// Wires the voice name path into a running app: the roll name directory (index and grammars of the
// roll in force) and, when the engine takes grammars built at run time, the two-pass recognizer
// decorator for context 'name' (pocketsphinx in process, or the remote ASR workers, which upload the
// grammars to their workers). Engines that cannot (Vosk in process) keep names by keypad.
import type { Logger } from 'pino';
import { Gauge, type Registry } from 'prom-client';
import { loadCmudict } from '../lexicon/cmudict.js';
import { EspeakG2p } from '../lexicon/g2p.js';
import { loadNicknames } from '../matcher/index.js';
import type { Recognizer } from '../recognizer.js';
import { RollNameDirectory, type RollVoterSource } from './roll-name-directory.js';
import { canAddGrammars, cityAgreementDefault, TwoPassNameRecognizer, twoPassDefaults } from './two-pass-name-recognizer.js';

export interface VoiceNames {
  /** The recognizer to give the dialog (the two-pass decorator, or the engine as it is). */
  readonly recognizer: Recognizer | null;
  readonly names: RollNameDirectory;
  close(): Promise<void>;
}

export interface VoiceNamesOptions {
  /**
   * Warm up in the background now: the name directory, then this many of the largest cities' grammars
   * (0: build everything on first use, as tests do).
   */
  readonly warmUpCities?: number;
  /** NAME_AGREEMENT_CHECK: the name path's city-or-surname agreement check (TwoPassOptions.cityAgreement; on). */
  readonly agreementCheck?: boolean;
  /** NAME_SHORT_FORMS: a first name's short forms heard by a second decode when unsure (shortFormRetryBelow; on). */
  readonly shortForms?: boolean;
  /** NAME_VOICE_VOTERS_MAX: rolls of more voters are named by phone number or keypad spelling only… */
  readonly voiceVotersMax?: number;
  /** NAME_TOWN_FIRST: …or by voice, the town first and then the name within it. */
  readonly townFirst?: boolean;
  /**
   * Where espeak-ng's pronunciations of the roll's words are kept between runs (pronunciation-cache.ts), so a
   * restart or a new roll generation pronounces only new words; absent: in memory only.
   */
  readonly pronunciationCacheDir?: string;
}

export async function withVoiceNames(recognizer: Recognizer | null, roll: RollVoterSource,
  logger: Logger, options: VoiceNamesOptions = {}): Promise<VoiceNames> {
  const [dictionary, nicknames] = await Promise.all([loadCmudict(), loadNicknames()]);
  const warming = options.warmUpCities !== undefined && options.warmUpCities > 0;
  const listens = recognizer !== null && canAddGrammars(recognizer);
  const names = new RollNameDirectory(roll, dictionary, nicknames, { keypadWhileBuilding: warming, grammars: listens,
    ...(options.voiceVotersMax === undefined ? {} : { voiceVotersMax: options.voiceVotersMax }),
    ...(options.townFirst === undefined ? {} : { townFirst: options.townFirst }),
    ...(options.pronunciationCacheDir === undefined ? {}
      : { g2p: new EspeakG2p({ cacheDir: options.pronunciationCacheDir, onCacheError: (error) => {
        logger.warn({ err: error, dir: options.pronunciationCacheDir },
          'the roll words\' pronunciations cannot be kept on disk: they are made again at every start');
      } }) }),
    onBuilt: (report) => {
      if (!listens) {
        logger.info(report, 'the roll name directory is built: no recognizer listens for names, so they are asked '
          + 'by keypad (phone number or the surname\'s letters)');
      } else if (report.townFirst) {
        logger.info(report, 'the roll has more voters than NAME_VOICE_VOTERS_MAX: callers say the town first, '
          + 'then the name within it (NAME_TOWN_FIRST)');
      } else if (!report.byVoice) {
        logger.warn({ ...report, voiceVotersMax: options.voiceVotersMax },
          'the roll has more voters than NAME_VOICE_VOTERS_MAX: callers name a person by phone number or by '
          + 'spelling the surname on the keypad, not by voice');
      } else {
        logger.info(report, 'the roll name directory is built: names by voice');
      }
    },
    onWarm: (report) => {
      // How the roll's names are asked is logged by onBuilt, once per generation.
      if (report.generation === null) logger.info('no roll yet: names by voice warm up on first use');
      else if (listens && (report.byVoice || report.townFirst)) {
        logger.info({ generation: report.generation, directoryMs: report.directoryMs, cities: report.cities },
          'names by voice are warm');
      }
    },
    onWarmFailed: (error) => { logger.error({ err: error }, 'warming up names by voice failed; they build on first use'); },
    onNeighboursFound: (report) => { logger.info(report, 'name lookup neighbour lists are all found'); },
  });
  if (warming) {
    if (listens) {
      logger.info({ cities: options.warmUpCities },
        'warming up names by voice: building the roll name directory and the largest cities\' grammars');
    } else logger.info('building the roll name directory for names by keypad');
    // Outcomes are logged by onWarm / onWarmFailed.
    names.warmUp(options.warmUpCities ?? 0).catch(() => undefined);
  }
  if (recognizer !== null && !listens) {
    logger.warn(`the ${recognizer.engine} recognizer cannot load roll grammars: names are asked by keypad`);
  }
  const decorated = recognizer !== null && listens
    ? new TwoPassNameRecognizer(recognizer, async () => {
      try {
        return (await names.current())?.names ?? null;
      } catch (error) {
        logger.error({ err: error }, 'building the roll name grammars failed; names by voice are off for this call');
        return null;
      }
    }, { cityAgreement: options.agreementCheck ?? cityAgreementDefault,
      shortFormRetryBelow: options.shortForms === false ? null : twoPassDefaults.shortFormRetryBelow })
    : recognizer;
  return { recognizer: decorated, names, close: () => names.close() };
}

/** Publishes the warm-up's progress on /metrics. */
export function registerVoiceNameMetrics(registry: Registry, names: RollNameDirectory): void {
  new Gauge({ name: 'dn_name_directory_ready', help: '1 once the roll name directory (names by voice) is built',
    registers: [registry], collect() { this.set(names.ready ? 1 : 0); } });
  new Gauge({ name: 'dn_name_grammars_warm', help: 'city name grammars built by the start-up warm-up',
    registers: [registry], collect() { this.set(names.warmCities); } });
}
