/**
 * Versions given on the command line: `[label=]source`, where the source is `.` (the code as it is
 * now), a folder with a wrangler config of its own, or a git revision (exported once with
 * `git archive` into node_modules/.cache/dosim/check/<commit>, so its imports still resolve from the
 * project's node_modules). Labels default to A, B, C... in the order given.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { findWranglerConfig } from "../build/find-config.js";
import { InputError } from "../model/input-error.js";
import { LABEL_PATTERN } from "../scenario/schema/common.js";
import type { ScenarioVersion } from "../scenario/types.js";

/** The folder, under the project, where git revisions are exported. */
export const REVISION_CACHE = path.join("node_modules", ".cache", "dosim", "check");

function isFolder(candidate: string): boolean {
  try {
    return statSync(candidate).isDirectory();
  } catch {
    return false;
  }
}

function git(args: readonly string[], cwd: string): string | undefined {
  try {
    return execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return undefined;
  }
}

/** The config of `revision` as a folder: the commit exported once, and the same config path inside it. */
function revisionConfig(revision: string, config: string): string {
  const folder = path.dirname(config);
  const commit = git(["rev-parse", "--verify", "--quiet", `${revision}^{commit}`], folder);
  const top = git(["rev-parse", "--show-toplevel"], folder);
  if (commit === undefined || top === undefined) {
    throw new InputError("unknown-version-source", `"${revision}" is neither a folder nor a git revision of ${folder}; give ., a folder with a wrangler config, or a commit, branch or tag.`);
  }
  const target = path.join(top, REVISION_CACHE, commit);
  if (!existsSync(target)) {
    const partial = `${target}.partial-${process.pid}`;
    mkdirSync(partial, { recursive: true });
    try {
      execFileSync("sh", ["-c", 'git archive --format=tar "$1" | tar -x -C "$2"', "sh", commit, partial], { cwd: top, stdio: ["ignore", "ignore", "pipe"] });
      renameSync(partial, target);
    } catch (error) {
      rmSync(partial, { recursive: true, force: true });
      if (!existsSync(target)) throw new InputError("unknown-version-source", `could not export ${revision} with git archive: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
    }
  }
  const inside = path.join(target, path.relative(top, config));
  if (!existsSync(inside)) throw new InputError("unknown-version-source", `${revision} has no ${path.relative(top, config)}; the Worker's config must exist at that revision.`);
  return inside;
}

/** The config a source runs. */
function sourceConfig(source: string, config: string): string {
  if (source === ".") return config;
  if (isFolder(source)) {
    const found = findWranglerConfig(source);
    if (found === undefined || !found.startsWith(path.resolve(source) + path.sep)) throw new InputError("unknown-version-source", `${source} has no wrangler.json, wrangler.jsonc or wrangler.toml; a folder version needs its own config.`);
    return found;
  }
  return revisionConfig(source, config);
}

/** The versions `sources` name, for the Worker whose config is `config`. */
export function versionsFromSources(sources: readonly string[], config: string): ScenarioVersion[] {
  const labels = new Set<string>();
  return sources.map((written, index) => {
    const equals = written.indexOf("=");
    const label = equals > 0 ? written.slice(0, equals) : String.fromCharCode(65 + index);
    const source = equals > 0 ? written.slice(equals + 1) : written;
    if (!LABEL_PATTERN.test(label)) throw new InputError("invalid-input", `"${label}" in "${written}" is not a version label; a label starts with a letter and holds letters, digits, '.', '_' and '-'.`);
    if (labels.has(label)) throw new InputError("invalid-input", `the label ${label} is given twice; write label=source to name each version.`);
    labels.add(label);
    return { label, tag: label, vars: {}, secrets: {}, migrations: [], config: sourceConfig(source, config), at: { line: 1, column: 1, path: "" } };
  });
}
