/** Temporal visibility: the list query over dtx's search attributes, and the API's opaque page tokens. */
import { TX_MODES, TX_STATUSES, WORKFLOW_TYPES, type TxMode, type TxStatus } from '../../workflows/names';
import { CUSTOMER_ID, TX_MODE, TX_STATUS } from '../../workflows/search-attributes';
import { badRequest } from './errors';

export interface TransactionFilter {
  status?: TxStatus;
  mode?: TxMode;
  customerId?: string;
}

/** A visibility string literal; ids are pattern-checked already, escaping keeps the query sound regardless. */
function quote(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** The list query of dtx transactions matching the filter (SQL visibility lists newest first; it has no ORDER BY). */
export function buildTransactionsQuery(filter: TransactionFilter): string {
  const types = Object.values(WORKFLOW_TYPES).map(quote).join(', ');
  const clauses = [`WorkflowType IN (${types})`];
  if (filter.status !== undefined) {
    if (!TX_STATUSES.includes(filter.status)) throw badRequest(`unknown status "${String(filter.status)}"`);
    clauses.push(`${TX_STATUS.name} = ${quote(filter.status)}`);
  }
  if (filter.mode !== undefined) {
    if (!TX_MODES.includes(filter.mode)) throw badRequest(`unknown mode "${String(filter.mode)}"`);
    clauses.push(`${TX_MODE.name} = ${quote(filter.mode)}`);
  }
  if (filter.customerId !== undefined) clauses.push(`${CUSTOMER_ID.name} = ${quote(filter.customerId)}`);
  return clauses.join(' AND ');
}

/** Temporal's binary nextPageToken as URL-safe base64 (no padding). */
export function encodePageToken(token: Uint8Array | null | undefined): string | undefined {
  if (token === null || token === undefined || token.length === 0) return undefined;
  return Buffer.from(token).toString('base64url');
}

/** The binary token of an API page token; BAD_REQUEST naming `pageToken` when it is not one. */
export function decodePageToken(token: string | undefined): Uint8Array | undefined {
  if (token === undefined) return undefined;
  if (!/^[A-Za-z0-9_-]+$/.test(token)) {
    throw badRequest('pageToken is not a page token', [{ path: 'pageToken', message: 'not a page token' }]);
  }
  const bytes = Buffer.from(token, 'base64url');
  if (bytes.length === 0) {
    throw badRequest('pageToken is not a page token', [{ path: 'pageToken', message: 'not a page token' }]);
  }
  return new Uint8Array(bytes);
}
