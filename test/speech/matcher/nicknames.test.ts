import { expect } from 'chai';
import { Nicknames } from '../../../src/speech/matcher/index.js';

describe('nicknames: the table the matcher reads a heard given name through', () => {
  it('relates a formal name, its short forms and their siblings both ways; periods dropped', () => {
    const nicknames = Nicknames.parse('james,jimmy,jim\n# a comment\n\njames,jamie\nk.c.,casey\n');
    expect([...nicknames.relatedNames('james')].sort()).to.deep.equal(['jamie', 'jim', 'jimmy']);
    expect([...nicknames.relatedNames('jimmy')].sort()).to.deep.equal(['james', 'jim']);
    expect([...nicknames.relatedNames('kc')]).to.deep.equal(['casey']);
    expect([...nicknames.relatedNames('nobody')]).to.deep.equal([]);
  });

  it('lists a formal name\'s own short forms once, across its lines, for the grammars (no siblings, no formal names)', () => {
    const nicknames = Nicknames.parse('james,jimmy,jim\njames,jamie,jim\njim,jimmie\nwilliam,bill,william\n');
    expect(nicknames.shortFormsOf('james')).to.deep.equal(['jimmy', 'jim', 'jamie']);
    // "jim" has its own line: its short forms are its own, not James's.
    expect(nicknames.shortFormsOf('jim')).to.deep.equal(['jimmie']);
    expect(nicknames.shortFormsOf('jimmy')).to.deep.equal([]);
    expect(nicknames.shortFormsOf('william')).to.deep.equal(['bill']);
  });

  it('refuses a broken table with the line that broke it', () => {
    expect(() => Nicknames.parse('james,jim\nmary\n')).to.throw('nicknames line 2: a name without nicknames: mary');
    expect(() => Nicknames.parse('james,j1m\n')).to.throw('nicknames line 1: not a name: james,j1m');
  });
});
