// One place that loads native speech libraries through koffi, so koffi is configured before the first
// load (it refuses changes afterwards). koffi runs async calls on 128 KiB stacks and copies array
// arguments into a 128 KiB heap by default; pocketsphinx's search needs more stack, and an utterance of
// 10 s at 16 kHz is 320 KB.
import koffi, { type LibraryHandle } from 'koffi';

const asyncStackBytes = 4 * 1024 * 1024;
const asyncHeapBytes = 4 * 1024 * 1024;
let configured = false;

export function loadNativeLibrary(path: string): LibraryHandle {
  if (!configured) {
    const config = koffi.config() as Record<string, number>;
    koffi.config({ ...config,
      async_stack_size: Math.max(config.async_stack_size ?? 0, asyncStackBytes),
      async_heap_size: Math.max(config.async_heap_size ?? 0, asyncHeapBytes) });
    configured = true;
  }
  return koffi.load(path);
}
