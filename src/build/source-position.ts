/**
 * Positions in a built bundle told as positions in the user's source. wrangler's dry run writes a
 * source map beside the bundle; a Worker that throws while it loads is reported by workerd at a
 * bundle position, which means nothing to the person who wrote the source.
 */
import { originalPositionFor, TraceMap } from "@jridgewell/trace-mapping";
import path from "node:path";

/** A bundle's source map and the folder its `sources` are relative to. */
export interface BundleSourceMap {
  /** The map's JSON text, as wrangler wrote it. */
  readonly json: string;
  /** The absolute folder the map was written in. */
  readonly dir: string;
}

/**
 * `file:line:column: code` in the user's source for a 1-based `line` and `column` of the bundle,
 * with the file relative to `cwd`; undefined when the map has no source for that position.
 */
export function sourcePosition(map: BundleSourceMap, line: number, column: number, cwd: string): string | undefined {
  let traced: TraceMap;
  try {
    traced = new TraceMap(map.json);
  } catch {
    return undefined;
  }
  const original = originalPositionFor(traced, { line, column: Math.max(0, column - 1) });
  if (original.source === null || original.line === null || original.column === null) return undefined;
  const absolute = path.resolve(map.dir, original.source);
  const shown = path.relative(cwd, absolute).split(path.sep).join("/") || absolute;
  const index = traced.resolvedSources.indexOf(original.source);
  const text = index >= 0 ? traced.sourcesContent?.[index] : undefined;
  const code = text?.split("\n")[original.line - 1]?.trim().slice(0, 80);
  return `${shown}:${original.line}:${original.column + 1}${code ? `: ${code}` : ""}`;
}
