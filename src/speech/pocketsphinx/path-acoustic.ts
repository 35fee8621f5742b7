// The acoustic fit of a decoder's best path, from its word segments (ps_seg_iter): what the audio says of
// the words alone, whatever the grammar charged for them, so decodes of one utterance with different
// grammars (a voter's path, a phone loop) compare.
import type { PathAcoustic } from '../recognizer.js';
import type { PathSegment } from './library.js';

export function pathAcoustic(segments: readonly PathSegment[]): PathAcoustic | null {
  if (segments.length === 0) return null;
  let score = 0;
  let speechFrames = 0;
  for (const segment of segments) {
    score += segment.acoustic;
    if (isWord(segment.word)) speechFrames += segment.endFrame - segment.startFrame + 1;
  }
  // Segment frames count from the decoder's first utterance, not this one's: only spans are used.
  const first = segments[0] as PathSegment;
  const last = segments[segments.length - 1] as PathSegment;
  return { score, frames: last.endFrame - first.startFrame + 1, speechFrames };
}

/** Not a filler (<sil>, <s>, </s>, ++NOISE++, [NOISE]) nor a null transition's "(NULL)". */
function isWord(word: string): boolean {
  return word !== '' && !/^[<+[(]/.test(word);
}
