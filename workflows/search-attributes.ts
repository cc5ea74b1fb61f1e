/** Typed keys of dtx's custom search attributes (names from names.ts, all Keyword); safe in workflows and clients. */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import type { SearchAttributeName } from './names';

const keyword = (name: SearchAttributeName) => defineSearchAttributeKey(name, SearchAttributeType.KEYWORD);

export const ORDER_ID = keyword('OrderId');
export const CUSTOMER_ID = keyword('CustomerId');
export const TX_MODE = keyword('TxMode');
export const TX_STATUS = keyword('TxStatus');
