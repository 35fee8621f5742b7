// asr-worker: serve speech recognition over gRPC to the app processes (docker-compose scales these).
import type { Command } from 'commander';
import { loadConfig, readEnvironment } from '../../config/config.js';
import { createLogger } from '../../config/logger.js';
import { startAsrWorker } from '../../speech/grpc/asr-worker.js';
import { loadRecognizer } from '../../speech/grpc/engine-loader.js';
import { print, UsageError } from '../run.js';

const listenPattern = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/;

export function registerAsrWorkerCommand(program: Command): void {
  program.command('asr-worker')
    .description('run a speech recognition worker (gRPC) until Ctrl-C')
    .option('--listen <host:port>', 'address to serve on (port 0: any free port)', '0.0.0.0:50051')
    .option('--engine <name>', 'built-in speech engine', 'vosk')
    .option('--engine-module <file>', 'a module exporting createRecognizer() instead of a built-in engine')
    .action(async (options: { listen: string; engine: string; engineModule?: string }) => {
      if (!listenPattern.test(options.listen)) throw new UsageError(`--listen expects host:port, got "${options.listen}"`);
      const logger = createLogger(process.env.LOG_LEVEL === undefined ? 'info' : process.env.LOG_LEVEL, 'asr-worker');
      const recognizer = await loadRecognizer(options.engineModule === undefined
        ? { engine: options.engine } : { module: options.engineModule }, loadConfig(readEnvironment()));
      const worker = await startAsrWorker({ listen: options.listen, recognizer, logger });
      const stopSignal = new Promise<void>((resolve) => {
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
      });
      print(`asr-worker listening on ${worker.address} (engine ${recognizer.engine})`);
      await stopSignal;
      await worker.close();
      print('asr-worker stopped');
    });
}
