/**
 * A one-line progress bar on standard error, shown only on a terminal so that pipes, CI logs and
 * `--json` output never see it. Redraws at most every 100 ms.
 */
export interface Progress {
  /** Reports `done` out of the total. */
  update(done: number): void;
  /** Clears the line. */
  finish(): void;
}

const SILENT: Progress = { update: () => {}, finish: () => {} };

/** A progress bar for `total` units of work labelled `label`, or a silent one off a terminal. */
export function createProgress(label: string, total: number, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY || total <= 0) return SILENT;
  let lastDrawMs = 0;
  const width = 30;
  return {
    update(done) {
      const now = Date.now();
      if (now - lastDrawMs < 100 && done < total) return;
      lastDrawMs = now;
      const filled = Math.round((done / total) * width);
      const percent = Math.floor((done / total) * 100);
      stream.write(`\r${label} [${"#".repeat(filled)}${" ".repeat(width - filled)}] ${percent}% (${done.toLocaleString("en-US")}/${total.toLocaleString("en-US")})`);
    },
    finish() {
      stream.write("\r\x1b[2K");
    },
  };
}
