/** Conversions of database values (pg returns int8 as a string) into what the protos carry. */

/** An int8/int4 column value as a JS number; throws if it cannot be represented exactly. */
export function toNumber(value: string | number | bigint | null | undefined): number {
  if (value === null || value === undefined) return 0;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isSafeInteger(n)) throw new Error(`database value ${String(value)} is not a safe integer`);
  return n;
}

/** A timestamptz column as RFC 3339 (empty when null). */
export function toIso(value: Date | string | null | undefined): string {
  if (value === null || value === undefined) return '';
  return (value instanceof Date ? value : new Date(value)).toISOString();
}
