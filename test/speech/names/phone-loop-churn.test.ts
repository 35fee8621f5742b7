// The phone loop's new native call order (pocketsphinx's ps_seg_iter after ps_get_hyp, on the event loop,
// while other decoders of the same process decode on libuv threads) must not deadlock: rounds of four
// utterances at once in a child process under a deadline (support/phone-loop-churn.ts), as
// decoder-pool-growth.test.ts does for decoder creation.
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

describe('speech/names: phone loop and path segments on several decoders at once', function () {
  it('reads every utterance\'s path acoustics, round after round, without a deadlock', async function () {
    // ~10 s quiet; the deadline leaves room for a heavily loaded machine.
    this.timeout(330_000);
    const churn = join(dirname(fileURLToPath(import.meta.url)), 'support', 'phone-loop-churn.js');
    const { stdout } = await promisify(execFile)(process.execPath, [churn, '12'],
      { timeout: 300_000, killSignal: 'SIGKILL' });
    expect(stdout.trim()).to.equal(`done 12 ${12 * 4}`);
  });
});
