/**
 * Request limits of the services' contract. The API's schemas (api/operations/schemas.ts) use the same numbers, so
 * it never accepts an order a service would refuse.
 */

/** Longest id (order, customer, sku, coupon code, tx, branch). */
export const MAX_ID_LENGTH = 128;
/** Longest free text (reasons, product names). */
export const MAX_TEXT_LENGTH = 1000;
/** Most lines/items/SKUs in one request. */
export const MAX_LINES = 100;
/** Largest quantity of one line. */
export const MAX_QUANTITY = 1_000_000;
