// Bounded fuzzing: mutated SIP (from valid INVITE, OPTIONS, BYE, CANCEL, ACK) into the parser and into
// a live endpoint over loopback. 0 crashes, the endpoint answers afterwards, its tables stay bounded
// and the heap stays flat. FUZZ_COUNT raises the endpoint run (default 2,000 for CI).
import { expect } from 'chai';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parseSipMessage } from '../../src/telephony/sip/parser.js';
import type { SipEndpoint } from '../../src/telephony/endpoint.js';
import { startEndpoint } from './support/endpoint.js';
import { mutate, prng } from './support/mutate.js';
import { delay, offer, request, UdpSipClient } from './support/raw-sip.js';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

function heapUsedAfterGc(): number {
  collectGarbage();
  collectGarbage();
  return process.memoryUsage().heapUsed;
}

function seeds(clientPort: number): string[] {
  return [
    request('INVITE', { clientPort, body: offer(40_002) }),
    request('OPTIONS', { clientPort }),
    request('BYE', { clientPort, overrides: { To: '<sip:5550001@127.0.0.1>;tag=abc' } }),
    request('CANCEL', { clientPort }),
    request('ACK', { clientPort, overrides: { To: '<sip:5550001@127.0.0.1>;tag=abc' } }),
  ];
}

describe('SIP fuzzing', function () {
  this.timeout(60_000);

  it('the parser never throws on 20,000 mutated messages', () => {
    const random = prng(1);
    const messages = seeds(5060);
    let parsed = 0;
    for (let index = 0; index < 20_000; index += 1) {
      const data = mutate(messages[index % messages.length] ?? '', random);
      for (const contentLengthRequired of [false, true]) {
        const result = parseSipMessage(data, { contentLengthRequired });
        if (result.ok) parsed += 1;
        else expect(result.error.status).to.be.oneOf([400, 413, 414, 505]);
      }
    }
    // Some mutations leave a valid message, most do not: both paths were exercised.
    expect(parsed).to.be.greaterThan(100);
    expect(parsed).to.be.lessThan(40_000);
  });

  describe('against a live endpoint', () => {
    let endpoint: SipEndpoint;
    let client: UdpSipClient;
    const count = Number(process.env.FUZZ_COUNT ?? 2000);

    before(async () => {
      endpoint = await startEndpoint({ maxCalls: 10, timers: { t1Ms: 20, t2Ms: 80, t4Ms: 100 } });
      client = await UdpSipClient.open();
    });

    after(async () => {
      await client.close();
      await endpoint.close();
    });

    async function blast(total: number, seed: number): Promise<void> {
      const random = prng(seed);
      const messages = seeds(client.port);
      for (let index = 0; index < total; index += 1) {
        client.send(endpoint.port, mutate(messages[index % messages.length] ?? '', random));
        if (index % 50 === 49) await delay(5); // let the endpoint keep up: UDP drops prove nothing
      }
      await delay(200);
      client.drain();
    }

    it(`survives ${count} mutated datagrams with flat memory and bounded tables`, async () => {
      await blast(500, 2);
      const before = heapUsedAfterGc();
      await blast(count, 3);
      // Ringing and answered calls end by ACK timeout (64·T1 = 1.3 s here); let them go.
      await delay(2000);
      const after = heapUsedAfterGc();
      const answer = await client.exchange(endpoint.port, request('OPTIONS', { clientPort: client.port }));
      expect(answer.map((reply) => reply.status)).to.include(200);
      expect(endpoint.stats.calls).to.be.at.most(10);
      expect(endpoint.stats.serverTransactions).to.be.below(count);
      expect(after - before, `heap grew by ${after - before} bytes`).to.be.below(8 * 1024 * 1024);
    });
  });
});
