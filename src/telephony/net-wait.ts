// Waits for a socket or server to start listening, or fails with its bind error. Both listeners are
// removed afterwards, so a later 'error' on the same emitter cannot become an unhandled rejection.
import type { EventEmitter } from 'node:events';

export function listening(emitter: EventEmitter): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => {
      emitter.off('listening', onListening);
      reject(error);
    };
    const onListening = (): void => {
      emitter.off('error', onError);
      resolve();
    };
    emitter.once('error', onError);
    emitter.once('listening', onListening);
  });
}
