/**
 * At most `limit` tasks at once; the rest wait their turn, first come first served, for at most
 * `maxWaitMs`, then are refused with GateBusyError. Used for argon2id: each verification takes a
 * core and 19 MiB for tens of milliseconds, so 300 at once (a password spray) made public pages
 * take a second and a real sign-in 19 s (issue 8). With a gate the cores stay free for pages, and
 * a burst is answered "try again" instead of piling up.
 */
export class GateBusyError extends Error {
  constructor() {
    super("Too many tasks waiting");
  }
}

interface Waiter {
  start: () => void;
  timer: NodeJS.Timeout;
}

export class ConcurrencyGate {
  private running = 0;
  private readonly waiting: Waiter[] = [];

  constructor(
    readonly limit: number,
    readonly maxWaitMs: number,
    readonly maxWaiting = 1_000,
  ) {
    if (!(limit >= 1)) throw new Error("A gate needs a limit of at least 1");
  }

  /** Tasks running now and waiting now (for tests and diagnostics). */
  get load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    await this.enter();
    try {
      return await task();
    } finally {
      this.leave();
    }
  }

  private enter(): Promise<void> {
    if (this.running < this.limit) {
      this.running++;
      return Promise.resolve();
    }
    if (this.waiting.length >= this.maxWaiting) return Promise.reject(new GateBusyError());
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        start: () => {
          clearTimeout(waiter.timer);
          this.running++;
          resolve();
        },
        timer: setTimeout(() => {
          const at = this.waiting.indexOf(waiter);
          if (at !== -1) this.waiting.splice(at, 1);
          reject(new GateBusyError());
        }, this.maxWaitMs),
      };
      this.waiting.push(waiter);
    });
  }

  private leave(): void {
    this.running--;
    this.waiting.shift()?.start();
  }
}
