// A small hand-made roll for the matcher tests, and the real CMUdict shared by the suites.
import { existsSync } from 'node:fs';
import { debianCmudictPath, loadCmudict } from '../../../src/speech/lexicon/cmudict.js';
import type { Lexicon } from '../../../src/speech/lexicon/lexicon.js';
import type { MatchableVoter } from '../../../src/speech/matcher/index.js';
import type { Hypothesis } from '../../../src/speech/recognizer.js';

let lexicon: Promise<Lexicon> | undefined;

/** Debian's CMUdict (scripts/setup installs pocketsphinx-en-us); loaded once for all suites. */
export async function cmudict(): Promise<Lexicon> {
  if (!existsSync(debianCmudictPath)) {
    throw new Error(`${debianCmudictPath} is missing: run ./scripts/setup (Debian package pocketsphinx-en-us)`);
  }
  lexicon ??= loadCmudict();
  return lexicon;
}

function voter(id: string, first: string, middle: string, last: string, city: string, county: string, zip: string,
  street: string): MatchableVoter {
  return { id, first, middle, last, suffix: '', city, county, zip, street };
}

export const fixtureVoters: readonly MatchableVoter[] = [
  voter('1001', 'mary', 'ann', 'smith', 'ames', 'story', '50010', 'n main st'),
  voter('1002', 'john', 'quincy', 'smith', 'ames', 'story', '50010', 'n main st'),
  voter('1003', 'john', 'robert', 'smith', 'ames', 'story', '50014', 'oak ave'),
  voter('1004', 'john', 'paul', 'smith', 'des moines', 'polk', '50309', 'grand ave'),
  voter('1005', 'james', 'earl', 'carter', 'boone', 'boone', '50036', 'story st'),
  voter('1006', 'katherine', 'louise', 'doe', 'ankeny', 'polk', '50023', 'ash dr'),
  voter('1007', 'kathryn', 'marie', 'doe', 'ankeny', 'polk', '50021', 'elm st'),
  voter('1008', 'elizabeth', 'anne', 'smith-jones', 'cedar rapids', 'linn', '52402', '1st ave'),
  voter('1009', 'william', 'thaddeus', "o'brien", 'ames', 'story', '50010', 'lincoln way'),
  voter('1010', 'harold', 'james', 'van dyke', 'ottumwa', 'wapello', '52501', 'main st'),
  voter('1011', 'robert', '', 'nguyen', 'ames', 'story', '50014', 'college ave'),
  voter('1012', 'susan', 'beth', 'miller', 'story city', 'story', '50248', 'broad st'),
  voter('1013', 'susan', 'jane', 'miller', 'nevada', 'story', '50201', 'k ave'),
];

export function said(text: string, confidence = 0.9): Hypothesis {
  return { text, confidence, phones: [] };
}
