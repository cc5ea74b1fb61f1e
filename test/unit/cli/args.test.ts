import { InvalidArgumentError } from 'commander';
import { collectItem, orderIdOf, parseItem, positiveInt, wholeNumber, workflowIdOf } from '../../../cli/args';

describe('parseItem', () => {
  test('SKU:QTY', () => {
    expect(parseItem('SKU-1:3')).toEqual({ sku: 'SKU-1', quantity: 3 });
  });
  test('the last colon separates, so a SKU may contain colons', () => {
    expect(parseItem('vendor:sku:2')).toEqual({ sku: 'vendor:sku', quantity: 2 });
  });
  test.each(['SKU', 'SKU:', ':2', 'SKU:0', 'SKU:-1', 'SKU:1.5', 'SKU:two', 'SKU:1e3'])(
    '%s is refused',
    (value) => {
      expect(() => parseItem(value)).toThrow(InvalidArgumentError);
    },
  );
  test('repeated --item options collect in order', () => {
    expect(collectItem('B:2', collectItem('A:1'))).toEqual([
      { sku: 'A', quantity: 1 },
      { sku: 'B', quantity: 2 },
    ]);
  });
});

describe('ids', () => {
  test('a workflow id or an order id both name the transaction', () => {
    expect(workflowIdOf('order-abc')).toBe('order-abc');
    expect(workflowIdOf('abc')).toBe('order-abc');
    expect(orderIdOf('order-abc')).toBe('abc');
    expect(orderIdOf('abc')).toBe('abc');
  });
});

describe('positiveInt', () => {
  test('whole numbers from 1', () => {
    expect(positiveInt('20')).toBe(20);
    expect(() => positiveInt('0')).toThrow(InvalidArgumentError);
    expect(() => positiveInt('2.5')).toThrow(InvalidArgumentError);
  });
});

describe('wholeNumber', () => {
  test('whole numbers from 0', () => {
    expect(wholeNumber('0')).toBe(0);
    expect(wholeNumber('100')).toBe(100);
    expect(() => wholeNumber('-1')).toThrow(InvalidArgumentError);
    expect(() => wholeNumber('1.5')).toThrow(InvalidArgumentError);
    expect(() => wholeNumber('')).toThrow(InvalidArgumentError);
  });
});
