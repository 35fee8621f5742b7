// Verb "main-menu" (SPEC §6): money, politics, tell me about — offered only to callers who have
// money or are sovereign minters. The money dialog is not built yet (a later issue), so every
// caller goes straight to politics; when it lands, this verb asks when the caller has a balance.
import type { IvrSession } from './session.js';
import type { Verb } from './verb.js';

export const mainMenuVerb: Verb = {
  name: 'main-menu',
  async exec(session: IvrSession): Promise<void> {
    await session.run('politics');
  },
};
