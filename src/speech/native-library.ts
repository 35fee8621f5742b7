// One place that loads native speech libraries through koffi, so koffi is configured before the first
// load (it refuses changes afterwards). koffi runs async calls on 128 KiB stacks and copies array
// arguments into a 128 KiB heap by default; pocketsphinx's search needs more stack, and an utterance of
// 10 s at 16 kHz is 320 KB.
//
// Each async call runs on a set of those blocks; koffi keeps `resident_async_pools` sets (8 by default) and
// allocates and frees a new set for every call beyond them. With 100 calls, more than 8 decode calls are in
// flight at once (one per busy decoder, up to SPEECH_DECODERS_MAX), and a fresh 8 MiB set per call, its pages
// faulted in by the worker and unmapped after, cost the event loop about 55-70 µs a call instead of 13 and the
// process 4-5 times the CPU (a C function touching 256 KiB of stack, 16-30 calls in flight). So koffi keeps
// its maximum, 32 sets: at most 256 MiB of address space, of which only the pages calls touch are resident.
import koffi, { type LibraryHandle } from 'koffi';

const asyncStackBytes = 4 * 1024 * 1024;
const asyncHeapBytes = 4 * 1024 * 1024;
/** koffi's maximum. */
const residentAsyncPools = 32;
let configured = false;

export function loadNativeLibrary(path: string): LibraryHandle {
  if (!configured) {
    const config = koffi.config() as Record<string, number>;
    koffi.config({ ...config,
      async_stack_size: Math.max(config.async_stack_size ?? 0, asyncStackBytes),
      async_heap_size: Math.max(config.async_heap_size ?? 0, asyncHeapBytes),
      resident_async_pools: Math.max(config.resident_async_pools ?? 0, residentAsyncPools) });
    configured = true;
  }
  return koffi.load(path);
}
