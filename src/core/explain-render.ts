// Sentences for an explanation, as read out by the IVR and printed by the CLI and web:
// "John Q Doe of Ames delegates to Mary Roe of Adel, who voted yes."
// Pure: names come from the caller (nameOf), which knows the roll and how to say a tentative voter.
import type { CandidateKind, DirectVote } from './democracy-state.js';
import type {
  AbsentReason, BillExplanation, ChainStep, DelegationNode, Explanation, SkippedCandidate,
} from './explain.js';
import { invariant } from './invariant.js';
import type { VoterId } from './voter.js';

type NameOf = (voter: VoterId) => string;

const ordinals = { 1: 'first', 2: 'second', 3: 'third' } as const;

/** "first choice", or "delegate on this bill". */
function candidateNoun(kind: CandidateKind): string {
  return kind === 'bill' ? 'delegate on this bill' : `${ordinals[kind]} choice`;
}

/** The clause for a step, without its ending: "A delegates to B", "A's second choice is B". */
function usedClause(step: ChainStep, nameOf: NameOf): string {
  const voter = nameOf(step.voter);
  const delegate = nameOf(step.delegate);
  if (step.kind === 'bill') return `${voter} delegates this bill to ${delegate}`;
  if (step.kind === 1) return `${voter} delegates to ${delegate}`;
  return `${voter}'s ${ordinals[step.kind]} choice is ${delegate}`;
}

function skippedSentence(voter: VoterId, skipped: SkippedCandidate, nameOf: NameOf): string {
  const subject = `${nameOf(voter)}'s ${candidateNoun(skipped.kind)}, ${nameOf(skipped.delegate)},`;
  const { reason } = skipped;
  if (reason.kind === 'cycle') return `${subject} is already on this chain, so that branch is skipped.`;
  if (reason.at === skipped.delegate) {
    if (reason.cause === 'dead-end') return `${subject} neither voted nor delegated.`;
    if (reason.cause === 'not-registered') return `${subject} is not registered.`;
    return `${subject} only leads back into this chain.`;
  }
  const end = nameOf(reason.at);
  const ends = `${subject} ends absent at ${end}`;
  if (reason.cause === 'dead-end') return `${ends}, who neither voted nor delegated.`;
  if (reason.cause === 'not-registered') return `${ends}, who is not registered.`;
  return `${ends}, where the chain cycles back.`;
}

function absentSentence(voter: VoterId, reason: AbsentReason, nameOf: NameOf): string {
  const name = nameOf(voter);
  if (reason.kind === 'cycle') {
    const back = `${nameOf(reason.from)} delegates back to ${nameOf(reason.backTo)}`;
    return `${back}, a cycle, so ${name} is absent.`;
  }
  if (reason.kind === 'not-registered') {
    return reason.at === voter ? `${name} is not registered, so has no vote.`
      : `${nameOf(reason.at)} is not registered, so ${name} is absent.`;
  }
  return reason.at === voter ? `${name} neither voted nor delegated, so is absent.`
    : `${nameOf(reason.at)} neither voted nor delegated, so ${name} is absent.`;
}

function renderBill(explanation: BillExplanation, nameOf: NameOf): string[] {
  const lines: string[] = [];
  const { steps, outcome } = explanation;
  steps.forEach((step, index) => {
    for (const skipped of step.skipped) lines.push(skippedSentence(step.voter, skipped, nameOf));
    const last = index === steps.length - 1;
    const ending = last && outcome.kind === 'voted' ? `, who voted ${outcome.value}.` : '.';
    lines.push(usedClause(step, nameOf) + ending);
  });
  if (outcome.kind === 'absent') lines.push(absentSentence(explanation.voter, outcome.reason, nameOf));
  else if (steps.length === 0) lines.push(`${nameOf(explanation.voter)} voted ${outcome.value}.`);
  invariant(lines.length > 0, 'an explanation says something');
  return lines;
}

function votesSentence(name: string, votes: readonly DirectVote[]): string | null {
  if (votes.length === 0) return null;
  return `${name} voted ${votes.map(({ bill, value }) => `${value} on ${bill}`).join(', ')}.`;
}

/** Depth-first, each delegate right after the one who named it (explicit stack, no recursion). */
function renderTree(root: DelegationNode, truncated: boolean, nameOf: NameOf): string[] {
  const lines: string[] = [];
  const rootVotes = votesSentence(nameOf(root.voter), root.votes);
  if (rootVotes !== null) lines.push(rootVotes);
  if (root.delegates.length === 0) lines.push(`${nameOf(root.voter)} has no delegates.`);
  const stack: Array<{ parent: DelegationNode; node: DelegationNode }> =
    root.delegates.map((node) => ({ parent: root, node })).reverse();
  while (stack.length > 0) {
    const { parent, node } = stack.pop()!;
    invariant(node.rank !== null && node.rank !== 'bill', 'tree delegates are ranked defaults');
    const parentName = nameOf(parent.voter);
    const name = nameOf(node.voter);
    const clause = node.rank === 1 ? `${parentName} delegates to ${name}`
      : `${parentName}'s ${ordinals[node.rank]} choice is ${name}`;
    lines.push(node.cycle ? `${clause}, who is already on this chain.` : `${clause}.`);
    if (!node.registered) lines.push(`${name} is not registered.`);
    const votes = votesSentence(name, node.votes);
    if (votes !== null) lines.push(votes);
    stack.push(...node.delegates.map((child) => ({ parent: node, node: child })).reverse());
  }
  if (truncated) lines.push('The list stops here: it is too long to read.');
  return lines;
}

export function renderExplanation(explanation: Explanation, nameOf: NameOf): string[] {
  if (explanation.kind === 'bill') return renderBill(explanation, nameOf);
  return renderTree(explanation.root, explanation.truncated, nameOf);
}
