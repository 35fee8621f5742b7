// Bills before the House. Ids are normalized legislation numbers ("hr1234", "hres56", "s789"),
// or a stable generated id for floor items without a number.

export type BillId = string;

export interface Bill {
  id: BillId;
  /** As printed: "H.R. 1234"; empty for items without a number. */
  number: string;
  title: string;
  /** ISO date of the week the item was scheduled (from the feed), or '' for manual entries. */
  week: string;
}

const billIdPattern = /^[a-z0-9-]{1,40}$/;

export function isBillId(value: string): value is BillId {
  return billIdPattern.test(value);
}
