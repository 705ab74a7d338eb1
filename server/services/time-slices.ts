/**
 * Long jobs on the request loop (an export of every response, say) run in slices: after each step
 * the job asks whether its slice is used up and, if so, waits for one turn of the event loop so
 * that other residents' requests are served in between. A stream's write() is no such point: it
 * returns true on a fast socket, and awaiting a resolved promise only runs other promises, never
 * I/O (issue 8: exporting 53,000 responses held every other page for 3 s).
 */

/** How long a slice may run before the loop is given back. Well under the 100 ms p99 target. */
export const SLICE_MS = 15;

export class TimeSlices {
  private started = performance.now();

  constructor(private readonly sliceMs = SLICE_MS) {}

  /** Resolves at once while the slice lasts; after it, lets pending I/O and timers run first. */
  async pause(): Promise<void> {
    if (performance.now() - this.started < this.sliceMs) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.started = performance.now();
  }

  /** Whether this slice has used its time (for loops that must stop at a boundary of their own). */
  over(): boolean {
    return performance.now() - this.started >= this.sliceMs;
  }

  /** Give the loop one turn now, whatever is left of the slice, and start a new slice. */
  async yield(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.started = performance.now();
  }
}
