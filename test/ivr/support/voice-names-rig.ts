// A real redis-server with a small roll imported from a ZIP, the app context, and real pocketsphinx
// behind the two-pass name recognizer as `serve` wires it (withVoiceNames): what the in-process
// voice tests of naming a person share.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { createContext, type AppContext } from '../../../src/app/context.js';
import { importRollFile } from '../../../src/app/roll-import-service.js';
import { loadConfig } from '../../../src/config/config.js';
import { createLogger } from '../../../src/config/logger.js';
import { withVoiceNames, type VoiceNames, type VoiceNamesOptions } from '../../../src/speech/names/voice-names.js';
import { PocketsphinxRecognizer } from '../../../src/speech/pocketsphinx/pocketsphinx-recognizer.js';
import { writeIowaZip, type HandVoter } from '../../support/iowa-zip.js';
import { startTestRedis, type TestRedis } from '../../support/redis.js';
import { dialByVoice } from './voice-dial.js';
import type { Turn } from './voice-scripted-channel.js';

export interface VoiceNamesRig {
  readonly dir: string;
  readonly context: AppContext;
  readonly voice: VoiceNames;
  /** One call through the real dialog from a verified `callerPhone`, answered by `script`: its transcript lines. */
  dial(callerPhone: string, script: Turn[]): Promise<string[]>;
  stop(): Promise<void>;
}

export async function startVoiceNamesRig(dirPrefix: string, roll: readonly HandVoter[],
  options: VoiceNamesOptions = {}): Promise<VoiceNamesRig> {
  const redis: TestRedis = await startTestRedis();
  const dir = mkdtempSync(join(tmpdir(), dirPrefix));
  const context = await createContext(loadConfig({ REDIS_SOCKET: redis.server.socketPath, DATA_DIR: dir }),
    createLogger('silent'));
  await writeIowaZip(join(dir, 'roll.zip'), [...roll]);
  await importRollFile(context, join(dir, 'roll.zip'));
  const engine = await PocketsphinxRecognizer.create({ poolSize: 2 });
  const voice = await withVoiceNames(engine, context.roll, pino({ level: 'silent' }), options);
  let calls = 0;
  return {
    dir, context, voice,
    async dial(callerPhone: string, script: Turn[]): Promise<string[]> {
      calls += 1;
      const transcript = await dialByVoice(context, { recognizer: voice.recognizer, names: voice.names },
        `${dirPrefix}${calls}`, callerPhone, script);
      return transcript.map((line) => `${line.who}: ${line.text}`);
    },
    async stop(): Promise<void> {
      await voice.recognizer?.close();
      await voice.close();
      await context.close();
      await redis.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
