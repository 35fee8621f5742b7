// ps_init on a libuv pool thread. Creating a decoder reads the acoustic model and builds its search
// tables (~0.3 s on a quiet machine, more under load); done on the event loop, every caller's audio and
// SIP stall meanwhile. The speech concurrency benchmark saw it: 25 callers each given their own decoder
// wrote 8,428 frames over 100 ms late while the pool grew. library.ts binds the calls the decoders make;
// this binds only the one the pool needs off the loop.
import type { NativePointer } from './library.js';
import { loadNativeLibrary } from '../native-library.js';

type InitCall = (config: NativePointer, done: (error: unknown, decoder: unknown) => void) => void;

let initAsyncCall: InitCall | null = null;

function bound(): InitCall {
  if (initAsyncCall === null) {
    // Already loaded by loadPocketsphinx (the pool exists only after it): the same library, not a second copy.
    const library = loadNativeLibrary('libpocketsphinx.so.3');
    const psInit = library.func('void *ps_init(void *config)');
    initAsyncCall = (config, done) => { psInit.async(config, done); };
  }
  return initAsyncCall;
}

/** ps_init(config) on a pool thread: the decoder, or null when pocketsphinx refused (model unreadable). */
export function initDecoderOffLoop(config: NativePointer): Promise<NativePointer | null> {
  const call = bound();
  return new Promise((resolve, reject) => {
    call(config, (error, decoder) => {
      if (error !== null && error !== undefined) reject(error instanceof Error ? error : new Error(String(error)));
      else resolve((decoder ?? null) as NativePointer | null);
    });
  });
}
