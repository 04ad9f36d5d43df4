/**
 * YAML parsing that remembers where everything was written. The `yaml` package keeps each node's
 * character range; a LineCounter turns offsets into 1-based lines and columns, so any path into
 * the parsed data (`steps[3].deploy`) can be traced back to the text.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node } from "yaml";
import { formatPath } from "./issues.js";
import type { SourceLocation } from "./types.js";

/** A parsed YAML document with its positions. */
export interface YamlSource {
  readonly doc: Document.Parsed;
  readonly lines: LineCounter;
}

/** A YAML syntax problem at a position. */
export interface YamlProblem {
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

/** How many nodes aliases may stand for in all, counted as they expand (a billion laughs needs far more). */
const MAX_ALIAS_COUNT = 1000;

/** Parses `text`; returns the data, the source for locating paths, and every syntax problem. */
export function parseYaml(text: string): { source: YamlSource; data: unknown; problems: YamlProblem[] } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, merge: true });
  const problems = doc.errors.map((error) => {
    const { line, col } = lines.linePos(error.pos[0]);
    return { line: Math.max(line, 1), column: Math.max(col, 1), message: firstLine(error.message) };
  });
  const source = { doc, lines };
  if (problems.length > 0) return { source, data: undefined, problems };
  try {
    return { source, data: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }), problems };
  } catch (error) {
    // An alias to an anchor that does not exist (yet), or a billion laughs: report it where it is.
    const unresolved = unresolvedAliasOffset(doc);
    const excessive = unresolved === undefined ? excessiveAliasOffset(doc, MAX_ALIAS_COUNT) : undefined;
    const { line, column } = position(source, unresolved ?? excessive ?? 0);
    const message =
      excessive === undefined
        ? firstLine((error as Error).message)
        : `this alias takes the file past ${MAX_ALIAS_COUNT} expanded aliases (a resource exhaustion attack?); write the values out instead of nesting aliases`;
    return { source, data: undefined, problems: [{ line, column, message }] };
  }
}

/** Where the first alias without an earlier anchor sits, if any. */
function unresolvedAliasOffset(doc: Document.Parsed): number | undefined {
  let offset: number | undefined;
  visit(doc, {
    Alias(_, node) {
      if (node.resolve(doc) === undefined) {
        offset = node.range?.[0];
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return offset;
}

/**
 * Where the alias sits whose expansion takes the document past `limit` aliases in all: each alias
 * counts once plus every alias its anchor's content expands to, in document order.
 */
function excessiveAliasOffset(doc: Document.Parsed, limit: number): number | undefined {
  const weights = new Map<Node, number>();
  /** Aliases a node expands to, each counting itself and its target's own. */
  const weightOf = (node: unknown, depth: number): number => {
    if (isAlias(node)) {
      const target = node.resolve(doc);
      if (target === undefined || depth > 64) return 1;
      if (!weights.has(target)) weights.set(target, Math.min(weightOf(target, depth + 1), Number.MAX_SAFE_INTEGER));
      return 1 + weights.get(target)!;
    }
    if (isMap(node)) return node.items.reduce((sum, pair) => sum + weightOf(pair.key, depth + 1) + weightOf(pair.value, depth + 1), 0);
    if (isSeq(node)) return node.items.reduce((sum: number, item) => sum + weightOf(item, depth + 1), 0);
    return 0;
  };
  let total = 0;
  let offset: number | undefined;
  visit(doc, {
    Alias(_, node) {
      total += weightOf(node, 0);
      if (total <= limit) return undefined;
      offset = node.range?.[0];
      return visit.BREAK;
    },
  });
  return offset;
}

function firstLine(message: string): string {
  return message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
}

/** The 1-based position of a character offset. */
function position(source: YamlSource, offset: number): { line: number; column: number } {
  const { line, col } = source.lines.linePos(offset);
  return { line: Math.max(line, 1), column: Math.max(col, 1) };
}

/** What a path leads to: the value node, its key node (inside a map), and how far it got. */
interface Found {
  readonly node: Node | null;
  readonly key: Node | null;
  /** How many path segments were followed; less than the path's length when a key is missing. */
  readonly depth: number;
}

function follow(source: YamlSource, path: readonly PropertyKey[]): Found {
  let node = source.doc.contents as Node | null;
  let key: Node | null = null;
  for (const [depth, segment] of path.entries()) {
    if (isAlias(node)) node = node.resolve(source.doc) ?? null;
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment));
      if (pair === undefined) return { node, key, depth };
      key = pair.key as Node;
      node = (pair.value as Node | null) ?? null;
      if (node === null) return { node: key, key, depth: depth + 1 };
    } else if (isSeq(node) && typeof segment === "number" && node.items[segment] !== undefined) {
      key = null;
      node = node.items[segment] as Node;
    } else {
      return { node, key, depth };
    }
  }
  return { node, key, depth: path.length };
}

/**
 * The position of `path`: its value (or its key, with `at: "key"`). A path that leads nowhere (a
 * missing key) points at the nearest mapping or list that exists. Returns how much was found.
 */
export function locate(source: YamlSource, path: readonly PropertyKey[], at: "value" | "key" = "value"): { line: number; column: number; found: boolean } {
  const found = follow(source, path);
  const target = at === "key" && found.depth === path.length && found.key !== null ? found.key : found.node;
  const offset = target?.range?.[0] ?? 0;
  return { ...position(source, offset), found: found.depth === path.length };
}

/** Every value's position, by formatted path (`steps[2].expect.objects.foo`). */
export function collectLocations(source: YamlSource): Record<string, SourceLocation> {
  const locations: Record<string, SourceLocation> = {};
  const visit = (node: unknown, path: PropertyKey[], depth: number): void => {
    if (depth > 64) return;
    if (isAlias(node)) node = node.resolve(source.doc);
    const range = (node as Node | null)?.range;
    if (range !== undefined && range !== null && path.length > 0) {
      const key = formatPath(path);
      locations[key] = { ...position(source, range[0]), path: key };
    }
    if (isMap(node)) {
      for (const pair of node.items) {
        if (isScalar(pair.key)) visit(pair.value, [...path, String(pair.key.value)], depth + 1);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => visit(item, [...path, index], depth + 1));
    }
  };
  visit(source.doc.contents, [], 0);
  return locations;
}
