// The public voter search on a roll written with accents and periods, imported into a real redis-server:
// a visitor types names as a keyboard makes easy ("Nunez", "St Clair") or as the roll writes them
// ("Núñez", "St. Clair"), and either finds the voter; anything but letters is still refused.
import { expect } from 'chai';
import { cleanTerm, SearchQueryError, VoterSearch } from '../../src/web/voter-search.js';
import { startHandRollContext, type HandRollContext } from '../support/hand-roll-context.js';
import type { HandVoter } from '../support/iowa-zip.js';
import { thrown } from '../support/thrown.js';

const voters: HandVoter[] = [
  { id: '3101', first: 'José', middle: 'Luis', last: 'Núñez', city: 'ames', county: 'story', phone: '5155553101' },
  { id: '3102', first: 'Mary', middle: 'A.', last: 'St. Clair', city: 'St. Ansgar', county: 'mitchell',
    phone: '5155553102' },
  { id: '3103', first: 'J.R.', last: 'St. Clair', city: 'St. Ansgar', county: 'mitchell', phone: '5155553103' },
  { id: '3104', first: 'John', last: 'Nunez', city: 'boone', county: 'boone', phone: '5155553104' },
];

describe('web/voter-search: names and places folded as the roll may write them', function () {
  this.timeout(60_000);
  let rig: HandRollContext;
  let search: VoterSearch;

  before(async () => {
    rig = await startHandRollContext({ voters, dirPrefix: 'dn-voter-search-' });
    search = new VoterSearch(rig.context.roll);
  });
  after(async () => rig.stop());

  async function idsFound(last: string, city: string, first = ''): Promise<string[]> {
    const hits = await search.search({
      last: cleanTerm(last, 'last name'), city: cleanTerm(city, 'city'), first: cleanTerm(first, 'first name'),
    });
    return hits.map((hit) => hit.id).sort();
  }

  it('finds an accented surname typed with or without its accents', async () => {
    expect(await idsFound('Nunez', 'Ames')).to.deep.equal(['3101']);
    expect(await idsFound('núñez', 'AMES')).to.deep.equal(['3101']);
    expect(await idsFound('Nunez', 'Ames', 'jose')).to.deep.equal(['3101']);
    expect(await idsFound('Nunez', 'Ames', 'luis')).to.deep.equal(['3101']);
    expect(await idsFound('Nunez', 'Ames', 'mary')).to.deep.equal([]);
    // The plain "Nunez" of Boone is a different voter in another city.
    expect(await idsFound('Núñez', 'Boone')).to.deep.equal(['3104']);
  });

  it('reads periods in names and places as word breaks', async () => {
    expect(await idsFound('St. Clair', 'St. Ansgar')).to.deep.equal(['3102', '3103']);
    expect(await idsFound('st clair', 'st ansgar')).to.deep.equal(['3102', '3103']);
    expect(await idsFound('St Clair', 'St Ansgar', 'J.R.')).to.deep.equal(['3103']);
    expect(await idsFound('St Clair', 'St Ansgar', 'jr')).to.deep.equal(['3103']);
    expect(await idsFound('St Clair', 'St Ansgar', 'mar')).to.deep.equal(['3102']);
  });

  it('still refuses digits and letters it cannot fold, with a clear message', async () => {
    expect(cleanTerm('  Núñez  ', 'last name')).to.equal('nunez');
    for (const bad of ['515-555-3101', 'Жуков', 'smith<script>']) {
      const error = await thrown(async () => cleanTerm(bad, 'last name'));
      expect(error, bad).to.be.instanceOf(SearchQueryError);
      expect((error as Error).message).to.equal('last name may hold only letters, spaces, hyphens and apostrophes');
    }
    expect((await thrown(async () => cleanTerm('a'.repeat(61), 'city')) as Error).message).to.equal('city is too long');
  });
});
