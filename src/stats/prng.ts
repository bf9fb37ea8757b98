/**
 * mulberry32: a tiny seeded 32-bit PRNG. Not for cryptography; chosen so a bootstrap interval is
 * reproducible bit for bit from its seed on every machine (Math.random cannot be seeded).
 */
export type Random = () => number;

export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 15), z | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    return ((z ^ (z >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal draw (Box–Muller), for simulations and synthetic data. */
export function normalDraw(random: Random): number {
  let u = random();
  while (u === 0) u = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}
