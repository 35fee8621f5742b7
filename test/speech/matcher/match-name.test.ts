import { expect } from 'chai';
import {
  NameIndex, loadNicknames, matchKeypadName, matchName, matchNameByScan, parseNameUtterance,
} from '../../../src/speech/matcher/index.js';
import { nameReadings } from '../../../src/speech/matcher/name-scoring.js';
import { nameParses } from '../../../src/speech/matcher/utterance.js';
import type { MatchableVoter, NameMatch } from '../../../src/speech/matcher/index.js';
import { cmudict, fixtureVoters, said } from './roll-fixture.js';

function idsOf(match: NameMatch): string[] {
  if (match.kind === 'one') return [match.voter.id];
  if (match.kind === 'several') return match.candidates.map((candidate) => candidate.voter.id).sort();
  return [];
}

/** `text` names exactly voter `id` of `index`, confidently, and the scan of every voter agrees. */
function expectOneIn(index: NameIndex, text: string, id: string): void {
  const match = matchName(index, [said(text)]);
  expect(match.kind, `${text}: ${JSON.stringify(match)}`).to.equal('one');
  expect(idsOf(match), text).to.deep.equal([id]);
  expect(match, text).to.deep.equal(matchNameByScan(index, [said(text)]));
}

describe('phonetic name matcher', function () {
  this.timeout(120_000);
  let index: NameIndex;

  before(async () => {
    index = NameIndex.build(fixtureVoters, await cmudict(), { nicknames: await loadNicknames() });
  });

  function expectOne(text: string, id: string): void {
    const match = matchName(index, [said(text)]);
    expect(match.kind, `${text}: ${JSON.stringify(match)}`).to.equal('one');
    expect(idsOf(match), text).to.deep.equal([id]);
  }

  it('finds a voter said exactly, with a city, as one confident match', () => {
    expectOne('delegate mary smith of ames', '1001');
    expectOne('james carter of boone', '1005');
    expectOne('robert nguyen in ames', '1011');
  });

  it('nicknames: jim is james, bill is william', () => {
    expectOne('jim carter of boone', '1005');
    expectOne('jimmy carter from boone', '1005');
    expectOne("bill o'brien of ames", '1009');
  });

  it('homonyms: katie and katherine fit Katherine and Kathryn alike, so the caller is asked which', () => {
    for (const text of ['katie doe of ankeny', 'katherine doe of ankeny', 'catherine doe of ankeny']) {
      const match = matchName(index, [said(text)]);
      expect(match.kind, text).to.equal('several');
      expect(idsOf(match), text).to.deep.equal(['1006', '1007']);
    }
  });

  it('middle name used as first name', () => {
    expectOne("thaddeus o'brien of ames", '1009');
  });

  it('compound and hyphenated surnames, said as two words or one', () => {
    expectOne('elizabeth smith jones of cedar rapids', '1008');
    expectOne('elizabeth smith-jones of cedar rapids', '1008');
    expectOne('harold van dyke of ottumwa', '1010');
    expectOne('harold vandyke of ottumwa', '1010');
    // Read by its last word: a compound is found when the last word heard is near its own.
    expectOne('elizabeth smith johns of cedar rapids', '1008');
    expect([...index.compoundLastPartsNear('smith johns')]).to.include('jones');
    expect([...index.compoundLastPartsNear('elizabeth smith')]).to.not.include('jones');
  });

  it('a given name of two words on the roll (hyphenated or spaced), said as two words, is one confident match', async () => {
    // The name grammars say "Mary-Jo" as two words and the parser splits hyphens: read only as a first and a
    // middle name, such a voter fitted too poorly to be offered even when heard exactly.
    const place = { suffix: '', county: 'story', zip: '50010', street: 'n main st' };
    const twoWordRoll = NameIndex.build([...fixtureVoters,
      { ...place, id: '1014', first: 'mary-jo', middle: '', last: 'kowalski', city: 'ames' },
      { ...place, id: '1015', first: 'anne marie', middle: 'rose', last: 'lindgren', city: 'boone' }],
    await cmudict(), { nicknames: await loadNicknames() });
    for (const [text, id] of [['mary jo kowalski of ames', '1014'], ['mary jo kowalski', '1014'],
      ['mary-jo kowalski in ames', '1014'], ['anne marie lindgren of boone', '1015'],
      ['anne marie rose lindgren', '1015']] as const) {
      expectOneIn(twoWordRoll, text, id);
    }
    expect(twoWordRoll.twoWordGivenName('mary', 'jo')).to.equal('mary-jo');
    expect(twoWordRoll.twoWordGivenName('anne', 'marie')).to.equal('anne marie');
    expect(twoWordRoll.twoWordGivenName('mary', 'ann')).to.equal(undefined);
  });

  it('a roll written with accents and typographic apostrophes: its voters said or keyed in plain letters', async () => {
    // Callers, the grammars and the keypad have only a–z; read as written, these voters were never found.
    const place = { suffix: '', county: 'story', zip: '50010', street: 'n main st' };
    const accented = NameIndex.build([...fixtureVoters,
      { ...place, id: '1018', first: 'José', middle: 'Luis', last: 'Núñez', city: 'ames' },
      { ...place, id: '1019', first: 'María-José', middle: '', last: 'Peña', city: 'boone' },
      { ...place, id: '1020', first: 'Zoë', middle: '', last: 'O’Connor', city: 'Montréal' }],
    await cmudict(), { nicknames: await loadNicknames() });
    for (const [text, id] of [['jose nunez of ames', '1018'], ['jose luis nunez', '1018'], ['luis nunez in ames', '1018'],
      ['maria jose pena of boone', '1019'], ["zoe o'connor of montreal", '1020'], ['José Núñez of Ames', '1018']] as const) {
      expectOneIn(accented, text, id);
    }
    expect(accented.twoWordGivenName('maria', 'jose')).to.equal('maria-jose');
    // N-U-N-E-Z, P-E-N-A and O-C-O-N-N-O-R on the keypad; the city may be given as the roll writes it.
    expect(idsOf(matchKeypadName(accented, '68639'))).to.deep.equal(['1018']);
    expect(idsOf(matchKeypadName(accented, '7362', { city: 'boone' }))).to.deep.equal(['1019']);
    expect(idsOf(matchKeypadName(accented, '6266667', { city: 'Montréal' }))).to.deep.equal(['1020']);
  });

  it('a roll written with periods ("J.R.", "St. John"): its voters said with initials as letters, or keyed', async () => {
    // The grammars say "J.R." as the letters "j r", which the parser joins as spelled letters ("jr"); read as
    // written the roll's "j.r." fitted nothing heard well enough to be offered.
    const place = { suffix: '', county: 'story', zip: '50010', street: 'n main st' };
    const dotted = NameIndex.build([...fixtureVoters,
      { ...place, id: '1021', first: 'J.R.', middle: '', last: 'Ewing', city: 'ames' },
      { ...place, id: '1022', first: 'Mary', middle: 'A.', last: 'St. Clair', city: 'boone' },
      { ...place, id: '1023', first: 'T. J.', middle: '', last: 'Miller', city: 'ames' }],
    await cmudict(), { nicknames: await loadNicknames() });
    for (const [text, id] of [['j r ewing of ames', '1021'], ['j r ewing', '1021'], ['mary st clair of boone', '1022'],
      ['mary a st clair', '1022'], ['mary saint clair in boone', '1022'], ['t j miller of ames', '1023']] as const) {
      expectOneIn(dotted, text, id);
    }
    // E-W-I-N-G and S-T-C-L-A-I-R on the keypad.
    expect(idsOf(matchKeypadName(dotted, '39464'))).to.deep.equal(['1021']);
    expect(idsOf(matchKeypadName(dotted, '7825247', { city: 'boone' }))).to.deep.equal(['1022']);
  });

  it('a suffix said ("junior", "the third") picks that voter of a father and son of one name and place', async () => {
    const place = { county: 'story', zip: '50010', street: 'n main st', city: 'ames' };
    const family = NameIndex.build([...fixtureVoters,
      { ...place, id: '1031', first: 'walter', middle: '', last: 'kowalczyk', suffix: '' },
      { ...place, id: '1032', first: 'walter', middle: '', last: 'kowalczyk', suffix: 'JR' },
      { ...place, id: '1033', first: 'walter', middle: '', last: 'kowalczyk', suffix: 'III' }],
    await cmudict(), { nicknames: await loadNicknames() });
    for (const [text, id] of [['walter kowalczyk junior of ames', '1032'], ['walter kowalczyk the third of ames', '1033'],
      ['walter kowalczyk junior', '1032'], ['walter kowalczyk jr in ames', '1032']] as const) {
      expectOneIn(family, text, id);
    }
    // No suffix said: all three are offered. "Senior", which none of them has on the roll: all three still fit.
    for (const text of ['walter kowalczyk of ames', 'walter kowalczyk senior of ames']) {
      const match = matchName(family, [said(text)]);
      expect(idsOf(match), text).to.deep.equal(['1031', '1032', '1033']);
      expect(match, text).to.deep.equal(matchNameByScan(family, [said(text)]));
    }
  });

  it('a name holding a place word ("hyoung in", "on", surnames "near", "at") or a leading word ("my chi") is read whole',
    async () => {
    const place = { suffix: '', county: 'black hawk', zip: '50701', street: 'main st' };
    const roll = NameIndex.build([...fixtureVoters,
      { ...place, id: '1016', first: 'hyoung-in', middle: 'lynn', last: 'pineda', city: 'waterloo' },
      { ...place, id: '1017', first: 'sarah', middle: 'in', last: 'develbiss', city: 'waterloo' },
      { ...place, id: '1018', first: 'nicholas', middle: '', last: 'near', city: 'ames' },
      { ...place, id: '1019', first: 'jessamyn', middle: '', last: 'nichols', city: 'ames' },
      { ...place, id: '1020', first: 'my-chi', middle: 'allen', last: 'hayden', city: 'waterloo' },
      { ...place, id: '1021', first: 'julia', middle: '', last: 'hayden', city: 'waterloo' },
      { ...place, id: '1022', first: 'chi', middle: '', last: 'hayden', city: 'waterloo' },
      { ...place, id: '1023', first: 'dara', middle: 'on', last: 'mcclure', city: 'waterloo' },
      { ...place, id: '1024', first: 'mark', middle: '', last: 'at', city: 'waterloo' }],
    await cmudict(), { nicknames: await loadNicknames() });
    for (const [text, id] of [['hyoung in pineda of waterloo', '1016'], ['hyoung in lynn pineda in waterloo', '1016'],
      ['sarah in develbiss of waterloo', '1017'], ['delegate chi hayden of waterloo', '1022'],
      ['dara on mcclure of waterloo', '1023'], ['dara on mcclure', '1023'], ['mark at of waterloo', '1024'],
      ['mark at', '1024']] as const) {
      expectOneIn(roll, text, id);
    }
    // "nicholas" alone (the place read from "near") is also near Jessamyn Nichols: both are offered to choose
    // from, where the first parse alone offered Nichols as the one voter.
    // Likewise "my chi hayden" is My-Chi Hayden or "my" before Chi Hayden.
    for (const [text, ids] of [['nicholas near of ames', ['1018', '1019']], ['nicholas near in ames', ['1018', '1019']],
      ['my chi hayden of waterloo', ['1020', '1022']], ['delegate my chi allen hayden', ['1020', '1022']]] as const) {
      const match = matchName(roll, [said(text)]);
      expect(match.kind, `${text}: ${JSON.stringify(match)}`).to.equal('several');
      expect(idsOf(match), text).to.deep.equal(ids);
      expect(match, text).to.deep.equal(matchNameByScan(roll, [said(text)]));
    }
    // A place that is on no reading's roll is still an unknown place, not a guess.
    expect(matchName(roll, [said('hyoung in pineda of atlantis')])).to.deep.equal({ kind: 'none', reason: 'unknown-place' });
    expect(nameParses('hyoung in pineda of waterloo').slice(1)).to.deep.equal(
      [{ nameWords: ['hyoung', 'in', 'pineda'], place: 'waterloo' }]);
    expect(nameParses('john smith of ames').slice(1)).to.deep.equal([]);
    // A reading cut short ("mary jones of") is not a name ending in "of"; one ending in "at" may be.
    expect(nameParses('mary jones of').slice(1)).to.deep.equal([]);
    expect(nameParses('mark at').slice(1)).to.deep.equal([{ nameWords: ['mark', 'at'] }]);
    // A street is never part of a name: no parse reads "on main street" into one. Without a street's type
    // after it, "on" may be a middle name.
    expect(nameParses('john smith on main street in ames').slice(1)).to.deep.equal([]);
    expect(nameParses('john smith on oak ave of ames').slice(1)).to.deep.equal([]);
    expect(nameParses('dara on mcclure of waterloo')).to.deep.equal([
      { nameWords: ['dara'], street: 'mcclure', place: 'waterloo' },
      { nameWords: ['dara', 'on', 'mcclure'], place: 'waterloo' }]);
  });

  it('name readings: the first two words as one given name only where the roll has it, and never the surname', () => {
    const joined = (first: string, second: string): string | undefined =>
      first === 'mary' && second === 'jo' ? 'mary-jo' : undefined;
    expect(nameReadings(['mary', 'jo', 'kowalski'], joined)).to.deep.include({ first: 'mary-jo', last: 'kowalski' });
    expect(nameReadings(['mary', 'jo', 'kowalski'])).to.not.deep.include({ first: 'mary-jo', last: 'kowalski' });
    // Two words only: "mary jo" is the whole name, so no reading takes both as the given name.
    expect(nameReadings(['mary', 'jo'], joined).every((reading) => reading.first !== 'mary-jo')).to.equal(true);
    expect(nameReadings(['ann', 'jo', 'kowalski'], joined).every((reading) => reading.first !== 'mary-jo'))
      .to.equal(true);
  });

  it('spelled surnames', () => {
    expectOne('mary s m i t h of ames', '1001');
    expectOne('robert n g u y e n of ames', '1011');
  });

  it('ambiguity: two John Smiths in Ames are both offered', () => {
    const match = matchName(index, [said('john smith of ames')]);
    expect(match.kind).to.equal('several');
    expect(idsOf(match)).to.deep.equal(['1002', '1003']);
  });

  it('location narrowing: zip, county, street and a middle name pick one John Smith', () => {
    expectOne('john smith from five oh three oh nine', '1004');
    expectOne('john smith in polk county', '1004');
    expectOne('john smith of des moines', '1004');
    expectOne('john smith on main street in ames', '1002');
    expectOne('john robert smith of ames', '1003');
    expect(idsOf(matchName(index, [said('john smith of ames in story county')]))).to.deep.equal(['1002', '1003']);
  });

  it('a city name that is also a county narrows to either ("in story")', () => {
    const match = matchName(index, [said('susan miller in story')]);
    expect(idsOf(match)).to.deep.equal(['1012', '1013']);
  });

  it('first and last name alone: one when unique on the roll, several (then ask location) when not', () => {
    expectOne('elizabeth smith jones', '1008');
    const johns = matchName(index, [said('john smith')]);
    expect(johns.kind).to.equal('several');
    expect(idsOf(johns)).to.deep.equal(['1002', '1003', '1004']);
  });

  it('none: nobody sounds like that, an unknown place, or nothing said', () => {
    expect(matchName(index, [said('zachary quimby of ames')])).to.deep.equal({ kind: 'none', reason: 'no-match' });
    expect(matchName(index, [said('john smith of atlantis')])).to.deep.equal({ kind: 'none', reason: 'unknown-place' });
    expect(matchName(index, [])).to.deep.equal({ kind: 'none', reason: 'nothing-heard' });
    expect(matchName(index, [said('')])).to.deep.equal({ kind: 'none', reason: 'nothing-heard' });
  });

  it('N-best: hypotheses are weighed by confidence', () => {
    const carter = matchName(index, [said('john carter of boone', 0.3), said('jim carter of boone', 0.7)]);
    expect(idsOf(carter)).to.deep.equal(['1005']);
    // A confident first hypothesis of one voter and a weak one of another: not a confident match.
    const split = matchName(index, [said('mary smith of ames', 0.5), said('robert nguyen of ames', 0.5)]);
    expect(split.kind).to.equal('several');
    expect(idsOf(split)).to.deep.equal(['1001', '1011']);
  });

  it('too many equally good voters: none, asking for a place', () => {
    const many: MatchableVoter[] = Array.from({ length: 12 }, (_, n) => ({
      id: String(2000 + n), first: 'john', middle: '', last: 'smith', city: 'ames', county: 'story', zip: '50010',
    }));
    const crowded = NameIndex.build(many, index.lexicon);
    // The lookup stops at the tenth exact fit (more than candidatesMax): 'matching' is a lower bound.
    expect(matchName(crowded, [said('john smith of ames')])).to.deep.equal({ kind: 'none', reason: 'too-many',
      matching: 10 });
    expect(matchNameByScan(crowded, [said('john smith of ames')])).to.deep.equal({ kind: 'none', reason: 'too-many',
      matching: 12 });
  });

  it('the utterance parser splits name, place, county, zip and street', () => {
    expect(parseNameUtterance('delegate to jim smith-jones jr of west des moines')).to.deep.equal({
      nameWords: ['jim', 'smith', 'jones'], place: 'west des moines', suffix: 'junior' });
    expect(parseNameUtterance('d o e on north main street in story county')).to.deep.equal({
      nameWords: ['doe'], street: 'n main st', county: 'story' });
    expect(parseNameUtterance('mary smith from 50010')).to.deep.equal({ nameWords: ['mary', 'smith'], zip: '50010' });
    // A suffix said after the name is no part of the surname, "the" of "the third" included.
    expect(parseNameUtterance('john smith the third of ames')).to.deep.equal({ nameWords: ['john', 'smith'], place: 'ames',
      suffix: 'the third' });
    expect(parseNameUtterance('john smith junior')).to.deep.equal({ nameWords: ['john', 'smith'], suffix: 'junior' });
    expect(parseNameUtterance('john the third')).to.deep.equal({ nameWords: ['john'], suffix: 'the third' });
  });

  it('the index gives the same answers as a scan of every voter', () => {
    const texts = ['mary smith of ames', 'john smith', 'jim carter of boone', 'katie doe of ankeny',
      'john smith in polk county', 'elizabeth smith jones', 'susan miller in story', 'zachary quimby'];
    for (const text of texts) {
      expect(matchName(index, [said(text)]), text).to.deep.equal(matchNameByScan(index, [said(text)]));
    }
  });
});

describe('keypad dial-by-name', function () {
  this.timeout(120_000);
  let index: NameIndex;

  before(async () => {
    index = NameIndex.build(fixtureVoters, await cmudict());
  });

  it('a full surname on the keypad, narrowed by city', () => {
    const inAmes = matchKeypadName(index, '76484', { city: 'ames' });
    expect(inAmes.kind).to.equal('several');
    expect(idsOf(inAmes)).to.deep.equal(['1001', '1002', '1003']);
    expect(idsOf(matchKeypadName(index, '76484', { city: 'des moines' }))).to.deep.equal(['1004']);
    expect(matchKeypadName(index, '76484', { city: 'des moines' }).kind).to.equal('one');
  });

  it('a prefix is enough, and punctuation in surnames is skipped (o\'brien = 627436)', () => {
    expect(idsOf(matchKeypadName(index, '363'))).to.deep.equal(['1006', '1007']);
    expect(idsOf(matchKeypadName(index, '6274'))).to.deep.equal(['1009']);
    expect(idsOf(matchKeypadName(index, '826'))).to.deep.equal(['1010']);
  });

  it('no voter, too many voters, unknown city, and bad keys', () => {
    expect(matchKeypadName(index, '9999')).to.deep.equal({ kind: 'none', reason: 'no-match' });
    expect(matchKeypadName(index, '7', { candidatesMax: 2 })).to.deep.equal({ kind: 'none', reason: 'too-many' });
    expect(matchKeypadName(index, '76484', { city: 'atlantis' })).to.deep.equal({ kind: 'none', reason: 'unknown-place' });
    expect(() => matchKeypadName(index, '7a1')).to.throw(RangeError, /2-9/);
    expect(() => matchKeypadName(index, '')).to.throw(RangeError);
  });
});
