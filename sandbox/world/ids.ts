import type { Rng } from './prng';

/**
 * 19-digit ids (every one above 2^53). Ids rise with creation order like TikTok's. Some neighbours
 * differ by one, so a client that parses them as JSON numbers merges two objects into one.
 */
export class IdSource {
  private current: bigint;

  constructor(
    private readonly rng: Rng,
    base: bigint,
  ) {
    this.current = base;
  }

  next(): string {
    // One id in 16 is the direct successor of the previous one: the two collide as doubles.
    const step = this.rng.chance(1 / 16)
      ? 1n
      : BigInt(this.rng.int(2_000, 9_000_000)) * 1_000n + BigInt(this.rng.int(1, 999));
    this.current += step;
    return this.current.toString();
  }
}

export function randomAdvertiserId(rng: Rng, prefix: string): string {
  let digits = prefix;
  while (digits.length < 19) digits += String(rng.int(0, 9));
  return digits;
}
