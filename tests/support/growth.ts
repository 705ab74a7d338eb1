/**
 * Growth-rate checks for algorithmic fixes (issue 8): time the worst case at two sizes and check the
 * cost grows no faster than linearly, with a generous allowance for a machine shared with other
 * work. A quadratic cost over an 8-fold size grows 64-fold; linear grows 8-fold; the test allows 24.
 */

/** The fastest of several timed runs, each repeating `run` until it has taken at least `minMs`. */
export function timePerCall(run: () => void, minMs = 15, rounds = 5): number {
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < rounds; r++) {
    let calls = 0;
    const start = performance.now();
    let elapsed = 0;
    do {
      run();
      calls++;
      elapsed = performance.now() - start;
    } while (elapsed < minMs);
    best = Math.min(best, elapsed / calls);
  }
  return best;
}

export interface Growth {
  small: number;
  large: number;
  /** How many times longer the large case took. */
  ratio: number;
  /** How many times larger the large case is. */
  scale: number;
}

/** Time `work` on the input `make(n)` at n = small and n = small * scale. */
export function growth<T>(
  make: (n: number) => T,
  work: (input: T) => void,
  small: number,
  scale = 8,
): Growth {
  const a = make(small);
  const b = make(small * scale);
  work(a); // warm up the JIT
  const tSmall = timePerCall(() => work(a));
  const tLarge = timePerCall(() => work(b));
  return { small: tSmall, large: tLarge, ratio: tLarge / tSmall, scale };
}

/** The ratio a linear cost may reach: three times the size ratio. */
export const linearAllowance = (g: Growth) => g.scale * 3;

/**
 * For async work (an import): how much more a piece of work costs at `factor` times the size: the growth-rate check the
 * hardening issue asks for instead of timed limits. Each size is run often enough to take at least
 * `minMs` (so a linear run is not lost in timer noise), and the cheaper of two rounds is kept.
 */
export async function costRatio(
  run: (size: number) => unknown,
  size: number,
  factor = 4,
  minMs = 40,
): Promise<number> {
  const time = async (n: number, reps: number) => {
    const start = performance.now();
    for (let i = 0; i < reps; i++) await run(n);
    return performance.now() - start;
  };
  await run(size); // warm up: compile, allocate, fill caches
  let reps = 1;
  let small = await time(size, reps);
  while (small < minMs) {
    reps *= 2;
    small = await time(size, reps);
  }
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 2; round++) {
    const s = round === 0 ? small : await time(size, reps);
    const l = await time(size * factor, reps);
    best = Math.min(best, l / s);
  }
  return best;
}
