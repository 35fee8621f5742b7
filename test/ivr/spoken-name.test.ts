// What the naming question takes from a spoken name (spokenName): the matcher's confident voter and its
// lists of several are answers; a lone candidate the matcher was not sure of is not, so the dialog asks
// again (and after two tries offers the keypad) instead of putting a poorly fitting voter up for
// confirmation. The roll is the matcher tests' fixture roll.
import { expect } from 'chai';
import { spokenName } from '../../src/ivr/pick-voter.js';
import { NameIndex, loadNicknames, matchName } from '../../src/speech/matcher/index.js';
import { cmudict, fixtureVoters, said } from '../speech/matcher/roll-fixture.js';

describe('ivr: a spoken name at the naming question', function () {
  this.timeout(120_000);
  let index: NameIndex;

  before(async () => {
    index = NameIndex.build(fixtureVoters, await cmudict(), { nicknames: await loadNicknames() });
  });

  it('takes a confident match and a list of several, and asks again after a lone unsure candidate', () => {
    const one = spokenName(index, [said('james carter of boone')]);
    expect(one.kind).to.equal('sure');
    expect(one.kind === 'sure' && one.answer.kind === 'match' && one.answer.match.kind).to.equal('one');

    const several = spokenName(index, [said('katie doe of ankeny')]);
    expect(several.kind).to.equal('sure');
    const list = several.kind === 'sure' && several.answer.kind === 'match' ? several.answer.match : null;
    expect(list?.kind === 'several' ? list.candidates.length : 0).to.equal(2);

    // "Jane Cartier" is nobody; the matcher's only candidate is James Carter of Boone, at a cost above
    // its threshold for one voter: the matcher says so ('several' with one) and the dialog re-asks.
    const lone = matchName(index, [said('jane cartier of boone')]);
    expect(lone.kind === 'several' ? lone.candidates.map((candidate) => candidate.voter.id) : lone.kind)
      .to.deep.equal(['1005']);
    expect(spokenName(index, [said('jane cartier of boone')])).to.deep.equal({ kind: 'none', said: 'jane cartier of boone' });
  });
});
