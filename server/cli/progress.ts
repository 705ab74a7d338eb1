/**
 * A progress bar on stderr: on a terminal one line redrawn in place; elsewhere (a log file, CI) a
 * line at each tenth, so that logs stay readable.
 */
export class ProgressBar {
  private lastTenth = -1;
  private lastDraw = 0;
  private label = "";

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly width = 30,
  ) {}

  update(label: string, done: number, total: number): void {
    const fraction = total > 0 ? Math.min(1, done / total) : 1;
    if (label !== this.label) {
      if (this.label !== "" && this.stream.isTTY) this.stream.write("\n");
      this.label = label;
      this.lastTenth = -1;
    }
    if (this.stream.isTTY) {
      const now = Date.now();
      if (fraction < 1 && now - this.lastDraw < 100) return;
      this.lastDraw = now;
      const filled = Math.round(fraction * this.width);
      const bar = `${"#".repeat(filled)}${" ".repeat(this.width - filled)}`;
      this.stream.write(`\r${label.padEnd(9)} [${bar}] ${Math.floor(fraction * 100)}%`);
      return;
    }
    const tenth = Math.floor(fraction * 10);
    if (tenth === this.lastTenth) return;
    this.lastTenth = tenth;
    this.stream.write(`${label}: ${tenth * 10}%\n`);
  }

  /** End the redrawn line, so that what follows starts on a line of its own. */
  done(): void {
    if (this.stream.isTTY && this.label !== "") this.stream.write("\n");
    this.label = "";
  }
}
