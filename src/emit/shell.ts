/**
 * POSIX shell text: quoting, so that any string from a scenario file (a message, a header, a JSON
 * body) reaches the command as written, whatever quotes or `$` it holds.
 */

/** `value` as one single-quoted shell word. */
export function quote(value: string): string {
  return `'${value.replaceAll("'", `'"'"'`)}'`;
}

/** The shell variable that holds the id of the version made under `label`. */
export function versionVar(label: string): string {
  return `V_${label.replace(/[^A-Za-z0-9_]/g, "_")}`;
}

/** A comment, one `#` line per line of text. */
export function comment(text: string): string[] {
  return text.split("\n").map((line) => `# ${line}`.trimEnd());
}
