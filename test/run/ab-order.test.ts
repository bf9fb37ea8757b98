import { describe, expect, it } from 'vitest';
import { abbaOrder } from '../../src/run/ab-benchmark.js';

const positions = (order: string[], arm: string) => order.flatMap((a, i) => (a === arm ? [i] : []));
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe('interleaving two arms (ABBA BAAB ...)', () => {
  it('starts A B, B A, B A, A B and continues the Thue-Morse order', () => {
    expect(abbaOrder(4).join('')).toBe('ABBABAAB');
    expect(abbaOrder(8).join('')).toBe('ABBABAABBAABABBA');
  });

  for (let n = 1; n <= 12; n++) {
    it(`with ${n} run(s) a side: one A and one B per pair, and the mean slot positions ${n % 2 === 0 ? 'equal' : 'as close as possible'}`, () => {
      const order = abbaOrder(n);
      expect(order).toHaveLength(2 * n);
      for (let p = 0; p < n; p++)
        expect(
          order
            .slice(2 * p, 2 * p + 2)
            .sort()
            .join(''),
        ).toBe('AB');
      const a = positions(order, 'A');
      const b = positions(order, 'B');
      expect(a).toHaveLength(n);
      expect(b).toHaveLength(n);
      // Slots 0..2n-1 add up to n(2n-1): even for even n, so the arms can split it exactly; odd for
      // odd n, where the best possible split differs by one slot.
      expect(Math.abs(sum(a) - sum(b))).toBe(n % 2 === 0 ? 0 : 1);
      if (n % 4 === 0) expect(sum(a.map((x) => x * x))).toBe(sum(b.map((x) => x * x)));
    });
  }
});
