// serve: run the product until SIGINT/SIGTERM (what ./scripts/start runs); SIGHUP reloads trust anchors.
import type { Command } from 'commander';
import { startServer } from '../../app/server.js';
import { loadConfig, readEnvironment } from '../../config/config.js';
import { createLogger } from '../../config/logger.js';
import { print } from '../run.js';

export function registerServeCommand(program: Command): void {
  program.command('serve')
    .description('run the Delegate Network with the configured (or embedded) Redis until Ctrl-C')
    .action(async () => {
      const config = loadConfig(readEnvironment());
      const logger = createLogger(config.logLevel);
      const server = await startServer(config, logger);
      // Listen for the stop signals before the banner says "stop with Ctrl-C", so none is missed.
      const stopSignal = new Promise<void>((resolve) => {
        const shutdown = (signal: string): void => {
          logger.info({ signal }, 'shutting down');
          resolve();
        };
        process.once('SIGINT', () => shutdown('SIGINT'));
        process.once('SIGTERM', () => shutdown('SIGTERM'));
      });
      // SIGHUP: re-read the STIR/SHAKEN trust anchors (the operator changed the STI-CA list).
      const reloadAnchors = (): void => { server.phone.trust.reloadTrustAnchors(); };
      process.on('SIGHUP', reloadAnchors);
      const { context } = server;
      const meta = await context.roll.meta();
      print('The Delegate Network is running.');
      print(`  voter roll:   generation ${meta?.generation ?? '-'}, ${(meta?.voters ?? 0).toLocaleString('en-US')} voters (${meta?.source ?? 'none'})`);
      print(`  bills:        ${(await context.store.bills()).length}`);
      print(`  redis:        ${context.connection.server?.socketPath ?? config.redis.kind}`);
      print(`  audit log:    ${config.auditLogPath} and ${config.auditLogJsonPath}`);
      print(`  sip:          ${server.sipAddress} (UDP and TCP)`);
      print(`  web:          ${server.webUrl}`);
      print('  stop with Ctrl-C');
      await stopSignal;
      process.off('SIGHUP', reloadAnchors);
      await server.stop();
      print('stopped cleanly');
    });
}
