// The pure projections of ranked default delegates, shared by DemocracyState and the Redis store.
import { expect } from 'chai';
import { InvariantError } from '../../src/core/invariant.js';
import {
  afterRecall, migratedRankedDefaults, nextRankedDefaults, repointedRankedDefaults, SelfDelegationError,
} from '../../src/core/ranked-defaults.js';

describe('ranked default delegates', () => {
  describe('nextRankedDefaults', () => {
    it('appends at the next free rank and compacts a rank beyond the end', () => {
      expect(nextRankedDefaults([], 'a', 1, 'v')).to.deep.equal(['a']);
      expect(nextRankedDefaults(['a'], 'b', 3, 'v')).to.deep.equal(['a', 'b']);
      expect(nextRankedDefaults(['a', 'b'], 'c', 3, 'v')).to.deep.equal(['a', 'b', 'c']);
    });

    it('inserts at a taken rank, moving the others down and dropping the fourth', () => {
      expect(nextRankedDefaults(['a', 'b'], 'c', 1, 'v')).to.deep.equal(['c', 'a', 'b']);
      expect(nextRankedDefaults(['a', 'b', 'c'], 'd', 2, 'v')).to.deep.equal(['a', 'd', 'b']);
    });

    it('moves an already ranked delegate instead of duplicating it', () => {
      expect(nextRankedDefaults(['a', 'b', 'c'], 'c', 1, 'v')).to.deep.equal(['c', 'a', 'b']);
      expect(nextRankedDefaults(['a', 'b', 'c'], 'a', 3, 'v')).to.deep.equal(['b', 'c', 'a']);
      expect(nextRankedDefaults(['a', 'b'], 'a', 1, 'v')).to.deep.equal(['a', 'b']);
    });

    it('refuses self-delegation with a typed error', () => {
      expect(() => nextRankedDefaults(['a'], 'v', 2, 'v')).to.throw(SelfDelegationError);
    });

    it('refuses a corrupted current list', () => {
      expect(() => nextRankedDefaults(['a', 'a'], 'b', 1, 'v')).to.throw(InvariantError);
      expect(() => nextRankedDefaults(['a', 'b', 'c', 'd'], 'e', 1, 'v')).to.throw(InvariantError);
      expect(() => nextRankedDefaults(['v'], 'e', 1, 'v')).to.throw(InvariantError);
    });
  });

  describe('afterRecall', () => {
    it('removes one delegate and closes the gap', () => {
      expect(afterRecall(['a', 'b', 'c'], 'b')).to.deep.equal(['a', 'c']);
    });

    it('removes all delegates without a delegate', () => {
      expect(afterRecall(['a', 'b'])).to.deep.equal([]);
    });

    it('leaves the list as it is when the delegate is not ranked', () => {
      expect(afterRecall(['a', 'b'], 'x')).to.deep.equal(['a', 'b']);
    });
  });

  describe('migration', () => {
    it('re-points the migrated voter at its rank', () => {
      expect(repointedRankedDefaults(['a', 't', 'b'], 't', 'r', 'v')).to.deep.equal(['a', 'r', 'b']);
    });

    it('drops the re-pointed delegate when it would be a duplicate or the voter itself', () => {
      expect(repointedRankedDefaults(['r', 't'], 't', 'r', 'v')).to.deep.equal(['r']);
      expect(repointedRankedDefaults(['t', 'a'], 't', 'r', 'r')).to.deep.equal(['a']);
    });

    it('keeps the registered list, or copies the tentative one when it is empty', () => {
      expect(migratedRankedDefaults(['a'], ['b', 'c'], 'r')).to.deep.equal(['a']);
      expect(migratedRankedDefaults([], ['b', 'r', 'c'], 'r')).to.deep.equal(['b', 'c']);
    });
  });
});
