import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatPounds, parsePounds, poundsText } from './money.ts';

const pence = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });

/** Amounts as people type them: plain or comma-grouped pounds, optionally with one or two decimals. */
const typedAmount = fc
  .tuple(fc.bigInt({ min: 0n, max: 10n ** 12n }), fc.boolean(), fc.constantFrom('', '.5', '.05', '.50', '.99', '.1'))
  .map(([pounds, isGrouped, decimals]) => `${isGrouped ? pounds.toLocaleString('en-GB') : pounds.toString()}${decimals}`);

describe('parsing pounds into pence', () => {
  it.each([
    ['12,345,678', 1234567800],
    ['12345678.50', 1234567850],
    ['1,234,567.89', 123456789],
    ['£1,234,567.89', 123456789],
    [' 0.1 ', 10],
    ['0.05', 5],
    ['0', 0],
    ['1,000', 100000],
  ])('reads %j as %i pence', (text, expected) => {
    expect(parsePounds(text)).toBe(expected);
  });

  it.each(['1.234', 'abc', '-5', '-0.01', '', '.5', '1,23', '12,3456', '1.', '1e6', '0x10', '£', '1,000,00'])('refuses %j', (text) => {
    expect(parsePounds(text)).toBeNull();
  });

  it('refuses amounts too large to hold exactly', () => {
    expect(parsePounds('90071992547409.91')).toBe(Number.MAX_SAFE_INTEGER);
    expect(parsePounds('90071992547409.92')).toBeNull();
  });

  it('adds exactly, where floating point would not', () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(parsePounds('0.1')! + parsePounds('0.2')!).toBe(parsePounds('0.3'));
    expect(parsePounds('0.1')! + parsePounds('0.2')!).toBe(30);
  });

  it('reads back whatever it formats, for every amount of pence', () => {
    fc.assert(
      fc.property(pence, (p) => {
        expect(parsePounds(formatPounds(p))).toBe(p);
        expect(parsePounds(poundsText(p))).toBe(p);
      }),
    );
  });

  it('round trips typed amounts: format(parse(x)) means the same amount as x', () => {
    fc.assert(
      fc.property(typedAmount, (text) => {
        const parsed = parsePounds(text);
        expect(parsed).not.toBeNull();
        expect(parsePounds(formatPounds(parsed!))).toBe(parsed);
        // The pence are the typed digits, not a float product.
        const [pounds, decimals = ''] = text.replace(/,/g, '').split('.');
        expect(BigInt(parsed!)).toBe(BigInt(pounds!) * 100n + BigInt(decimals.padEnd(2, '0')));
      }),
    );
  });

  it('refuses any negative amount and anything with more than two decimals', () => {
    fc.assert(
      fc.property(
        typedAmount,
        (text) => parsePounds(`-${text}`) === null && parsePounds(`${text.includes('.') ? text : `${text}.0`}01`) === null,
      ),
    );
  });
});

describe('formatting pence as pounds', () => {
  it.each([
    [0, '£0'],
    [5, '£0.05'],
    [50, '£0.50'],
    [123456789, '£1,234,567.89'],
    [1234567800, '£12,345,678'],
  ])('writes %i pence as %s', (p, expected) => {
    expect(formatPounds(p)).toBe(expected);
  });

  it('refuses fractions of a penny and negative amounts', () => {
    expect(() => formatPounds(1.5)).toThrow(RangeError);
    expect(() => formatPounds(-1)).toThrow(RangeError);
  });
});
