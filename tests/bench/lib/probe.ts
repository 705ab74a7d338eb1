/**
 * Latency probes: GET requests sent at a fixed rate whatever happens to earlier ones (open loop),
 * so that a stalled server shows as many slow requests, as residents would see it, and not as one
 * slow request followed by a pause. Bounded by count and by time.
 */

export interface ProbeTarget {
  name: string;
  url: string;
  headers?: Record<string, string>;
  /** The status a healthy answer has (200). */
  status: number;
}

export interface ProbeRun {
  /** Milliseconds per answered probe, by target name. */
  latencies: Map<string, number[]>;
  /** The slowest answered probes: when each was sent (ms after the probing began), and how long it took. */
  slowest: { sentAt: number; ms: number; name: string }[];
  /** Probes that failed or answered another status. */
  failures: number;
  firstFailure: string;
}

export const percentile = (values: readonly number[], p: number): number => {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
};

/**
 * Probe the targets in turn every `everyMs` until `until` resolves (or `maxMs` passes, or `maxProbes`
 * have been sent), then wait for the probes still out.
 */
export async function probe(
  targets: readonly ProbeTarget[],
  opts: { everyMs: number; until: Promise<unknown>; maxMs: number; maxProbes: number },
): Promise<ProbeRun> {
  const run: ProbeRun = {
    latencies: new Map(targets.map((t) => [t.name, []])),
    slowest: [],
    failures: 0,
    firstFailure: "",
  };
  const pending: Promise<void>[] = [];
  let done = false;
  void opts.until.finally(() => {
    done = true;
  });
  const started = performance.now();
  for (let i = 0; !done && i < opts.maxProbes && performance.now() - started < opts.maxMs; i++) {
    const target = targets[i % targets.length] as ProbeTarget;
    const sent = performance.now();
    pending.push(
      fetch(target.url, { headers: target.headers, redirect: "manual", signal: AbortSignal.timeout(60_000) })
        .then(async (res) => {
          await res.arrayBuffer();
          if (res.status !== target.status) throw new Error(`${target.name}: ${res.status}`);
          const took = performance.now() - sent;
          run.latencies.get(target.name)?.push(took);
          run.slowest.push({ sentAt: sent - started, ms: took, name: target.name });
          if (run.slowest.length > 40) run.slowest = run.slowest.sort((a, b) => b.ms - a.ms).slice(0, 10);
        })
        .catch((err: unknown) => {
          run.failures++;
          run.firstFailure ||= String(err);
        }),
    );
    // The next probe at its slot, counted from the start, so a slow turn does not thin them out.
    const next = started + (i + 1) * opts.everyMs;
    await new Promise((r) => setTimeout(r, Math.max(0, next - performance.now())));
  }
  await Promise.all(pending);
  run.slowest = run.slowest.sort((a, b) => b.ms - a.ms).slice(0, 10);
  return run;
}
