// Where the committed corpus is, from the compiled test (dist/test/speech/corpus/).
import { fileURLToPath } from 'node:url';

export const testAudioDir = fileURLToPath(new URL('../../../../test-audio/', import.meta.url));
export const ciManifestPath = fileURLToPath(new URL('../../../../test-audio/ci/manifest.json', import.meta.url));
export const heldOutManifestPath = fileURLToPath(new URL('../../../../test-audio/ci/manifest-held-out.json', import.meta.url));
export const sampleRollPath = fileURLToPath(new URL('../../../../test-audio/roll-sample.zip', import.meta.url));
