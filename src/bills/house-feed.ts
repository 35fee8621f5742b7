// Importer for the House "Bills This Week" Atom feed (SPEC §9). The current week is the LAST entry;
// its content is escaped HTML where each floor item has a `.legisNum` cell (may be empty) followed by
// a `.floorText` cell. Items without a number are kept with a stable generated id.
import { XMLParser } from 'fast-xml-parser';
import { parse as parseHtml } from 'node-html-parser';
import type { Bill } from '../core/bill.js';
import { billIdFromNumber, generatedBillId } from './bill-number.js';

export const feedFetchTimeoutMs = 15_000;
export const feedSizeBytesMax = 10 * 1024 * 1024;
export const billsPerWeekMax = 500;

export class BillFeedError extends Error {
  override name = 'BillFeedError';
}

interface AtomEntry {
  title?: unknown;
  updated?: unknown;
  content?: unknown;
}

function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (value !== null && typeof value === 'object' && '#text' in value) return text((value as { '#text': unknown })['#text']);
  return '';
}

function weekOf(entry: AtomEntry): string {
  const updated = text(entry.updated);
  const date = new Date(updated);
  return Number.isNaN(date.getTime()) ? '' : date.toISOString().slice(0, 10);
}

/** Floor items of one week's HTML content, in document order. */
export function billsFromWeekHtml(html: string, week: string): Bill[] {
  const root = parseHtml(html);
  const bills: Bill[] = [];
  const seen = new Set<string>();
  for (const numberCell of root.querySelectorAll('.legisNum')) {
    // The title is the next element with class floorText (same row in the House's table layout).
    let sibling = numberCell.nextElementSibling;
    while (sibling !== null && !sibling.classList.contains('floorText')) sibling = sibling.nextElementSibling;
    const title = (sibling?.textContent ?? '').replace(/\s+/g, ' ').trim();
    const number = numberCell.textContent.replace(/\s+/g, ' ').trim();
    if (number.length === 0 && title.length === 0) continue;
    const id = (number.length > 0 ? billIdFromNumber(number) : null) ?? generatedBillId(week, `${number} ${title}`);
    if (seen.has(id)) continue;
    seen.add(id);
    bills.push({ id, number, title, week });
    if (bills.length > billsPerWeekMax) throw new BillFeedError(`more than ${billsPerWeekMax} items in one week`);
  }
  return bills;
}

/** Bills of the current (last) week in an Atom feed document. */
export function parseBillsFeed(xml: string): { week: string; bills: Bill[] } {
  let document: { feed?: { entry?: AtomEntry | AtomEntry[] } };
  try {
    const parser = new XMLParser({ ignoreAttributes: true, processEntities: true, htmlEntities: true });
    document = parser.parse(xml, true) as typeof document;
  } catch (error) {
    throw new BillFeedError(`not a valid XML feed: ${(error as Error).message}`);
  }
  const entries = document.feed?.entry;
  const list = entries === undefined ? [] : Array.isArray(entries) ? entries : [entries];
  const current = list.at(-1);
  if (current === undefined) throw new BillFeedError('the feed has no <entry>');
  const week = weekOf(current);
  const html = text(current.content);
  if (html.length === 0) throw new BillFeedError('the current week entry has no <content>');
  return { week, bills: billsFromWeekHtml(html, week) };
}

/** Reads the feed from a file path or an http(s) URL, bounded in time and size. */
export async function loadFeedText(source: string, readFile: (path: string) => Promise<string>): Promise<string> {
  if (!/^https?:\/\//.test(source)) return readFile(source);
  const response = await fetch(source, { signal: AbortSignal.timeout(feedFetchTimeoutMs), redirect: 'follow' });
  if (!response.ok) throw new BillFeedError(`GET ${source}: HTTP ${response.status}`);
  const body = await response.text();
  if (body.length > feedSizeBytesMax) throw new BillFeedError(`feed larger than ${feedSizeBytesMax} bytes`);
  return body;
}
