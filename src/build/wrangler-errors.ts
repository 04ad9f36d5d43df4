/**
 * Turns what `wrangler deploy --dry-run` printed when it failed into one line: the first error
 * wrangler reported, with esbuild's `file:line:column` when it gave one.
 */

/** Removes terminal colour codes (wrangler colours its errors even when told not to, at times). */
function plain(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*m/g, "");
}

const ERROR_LINE = /^\s*✘ \[ERROR\] (.*)$/;
const LOCATION_LINE = /^\s*(\S.*):(\d+):(\d+):\s*$/;

/** One error of wrangler's output: its message and, from esbuild, where it is. */
export interface WranglerError {
  readonly message: string;
  readonly location?: string;
}

/** Every `✘ [ERROR]` wrangler printed, without esbuild's "Build failed with N errors" header. */
export function wranglerErrors(output: string): WranglerError[] {
  const lines = plain(output).split(/\r?\n/);
  const errors: WranglerError[] = [];
  lines.forEach((line, index) => {
    const match = ERROR_LINE.exec(line);
    if (match === null) return;
    const message = match[1]!.replace(/^Error: /, "").trim();
    if (/^Build failed with \d+ errors?:?$/.test(message)) return;
    const next = lines.slice(index + 1, index + 4).find((candidate) => candidate.trim() !== "");
    const location = next === undefined ? null : LOCATION_LINE.exec(next);
    // esbuild prints 0-based columns; editors and dosim's own positions count from 1.
    errors.push({ message, ...(location !== null && { location: `${location[1]!.trim()}:${location[2]}:${Number(location[3]) + 1}` }) });
  });
  return errors;
}

/** The one line that explains a failed build, from wrangler's stderr and stdout. */
export function buildFailureLine(stderr: string, stdout: string): string {
  const [first] = [...wranglerErrors(stderr), ...wranglerErrors(stdout)];
  if (first === undefined) {
    const last = plain(`${stderr}\n${stdout}`).split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== "" && !line.startsWith("⛅️") && !/^─+$/.test(line));
    return last[0] ?? "wrangler exited without saying why";
  }
  return first.location === undefined ? first.message : `${first.location}: ${first.message}`;
}
