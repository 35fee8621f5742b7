// The app side of the drachtio wire scenario that test/fakes/record-drachtio-wire.ts records against a
// real drachtio-server and drachtio-wire-formats.test.ts replays against the FAKE one: the real
// drachtio-srf answers the first INVITE and hangs up 200 ms later, refuses the second with 486, and
// answers any later one the same way as the first.
import type { Srf, SrfDialog } from '../../src/telephony/drachtio/drachtio-modules.js';

export const scenarioSdp = ['v=0', 'o=app 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0',
  'm=audio 30000 RTP/AVP 0', 'a=rtpmap:0 PCMU/8000', 'a=sendrecv', ''].join('\r\n');

/** Installs the scenario's INVITE handler; the list holds a promise per answered call, settled at its BYE. */
export function answerThenRefuse(srf: Srf): Array<Promise<void>> {
  let invites = 0;
  const hungUp: Array<Promise<void>> = [];
  srf.invite((req, res) => {
    invites += 1;
    if (invites === 2) { res.send(486); return; }
    hungUp.push(srf.createUAS(req, res, { localSdp: scenarioSdp }).then((dialog: SrfDialog) => new Promise((done) => {
      setTimeout(() => { void dialog.destroy().then(done); }, 200);
    })));
  });
  return hungUp;
}
