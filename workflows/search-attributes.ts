/**
 * dtx's custom search attributes, the one place they are named: typed keys for workflows and clients, and the list
 * the stack registers. Keyword only, so the API's visibility queries can match them exactly.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

const keyword = (name: string) => defineSearchAttributeKey(name, SearchAttributeType.KEYWORD);

export const ORDER_ID = keyword('OrderId');
export const CUSTOMER_ID = keyword('CustomerId');
export const TX_MODE = keyword('TxMode');
export const TX_STATUS = keyword('TxStatus');

/** Every custom search attribute (registered when the stack starts). */
export const SEARCH_ATTRIBUTE_KEYS = [ORDER_ID, CUSTOMER_ID, TX_MODE, TX_STATUS] as const;
