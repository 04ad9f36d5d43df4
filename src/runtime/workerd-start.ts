/**
 * Starting workerd so that a version that cannot start is one typed error. A Worker that throws
 * while its module loads (or whose config names a Durable Object class the module does not export)
 * makes workerd print the reason and exit, and Miniflare then only says "the runtime failed to
 * start". Here workerd's output is held back until it is up: on success it is printed as Miniflare
 * would, on failure the reason becomes an {@link InputError} naming the version and the cause.
 */
import type { Miniflare, MiniflareOptions } from "miniflare";
import { once } from "node:events";
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { loadMiniflare } from "../build/cjs-packages.js";
import { sourcePosition } from "../build/source-position.js";
import { InputError } from "../model/input-error.js";
import type { Version } from "../model/types.js";
import type { VersionBundle } from "./bundle.js";
import { versionWorkerName, type HostedVersion } from "./run-layout.js";

/** The code of a version whose Worker failed while workerd started it. */
export const VERSION_START_FAILED = "version-failed-to-start";

/** What workerd said about one service that failed to start. */
interface ServiceFailure {
  readonly service: string;
  readonly cause: string;
  /** `file:line:column` in the module workerd ran, when it said. */
  readonly at?: string;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

/** workerd's lines, held while it starts and printed as Miniflare prints them afterwards. */
class HeldOutput {
  readonly #held: { readonly error: boolean; readonly line: string }[] = [];
  readonly #ends: Promise<unknown>[] = [];
  #holding = true;

  /** Miniflare's `handleRuntimeStdio`. */
  readonly handle = (stdout: Readable, stderr: Readable): void => {
    this.#read(stdout, false);
    this.#read(stderr, true);
  };

  #read(stream: Readable, error: boolean): void {
    const lines = createInterface({ input: stream, crlfDelay: Infinity });
    this.#ends.push(once(lines, "close"));
    lines.on("line", (line: string) => {
      if (this.#holding) this.#held.push({ error, line });
      else if (error) console.error(line);
      else console.log(line);
    });
  }

  /** Prints what was held and stops holding. */
  release(): void {
    this.#holding = false;
    for (const { error, line } of this.#held.splice(0)) (error ? console.error : console.log)(line);
  }

  /** The error lines held so far, once workerd's streams have ended (it has exited). */
  async errorLines(): Promise<string[]> {
    await Promise.race([Promise.all(this.#ends), new Promise((resolve) => setTimeout(resolve, 2_000).unref())]);
    return this.#held.filter((entry) => entry.error).map((entry) => entry.line.replace(ANSI, ""));
  }
}

/**
 * The first service workerd reports as failing, with its position: a service that threw as it
 * loaded (`service <name>: <cause>`), or a worker its config check refused (`Worker "<name>"'s
 * binding ...`, before any service runs).
 */
export function parseStartFailure(lines: readonly string[]): ServiceFailure | undefined {
  for (const [index, line] of lines.entries()) {
    const refused = /^Worker "(?:core:user:)?([^"]+)"'s (.+)$/.exec(line.trim());
    if (refused !== null) return { service: refused[1]!, cause: `its ${refused[2]!.replaceAll("core:user:", "").replace(/\.$/, "")}` };
    const match = /^service (?:core:user:)?([^:\s]+): (.+)$/.exec(line.trim());
    if (match === null) continue;
    const at = /^at (\S+:\d+:\d+)/.exec(lines[index + 1]?.trim() ?? "")?.[1];
    return { service: match[1]!, cause: match[2]!, ...(at !== undefined && { at }) };
  }
  return undefined;
}

/**
 * Where a bundle position comes from: esbuild heads each module's code with a `// path` comment,
 * so the nearest one above the line names the user's file; the line itself shows the code.
 */
export function bundlePosition(bundle: string, at: string): string | undefined {
  const [, lineText] = /:(\d+):\d+$/.exec(at) ?? [];
  const lines = bundle.split("\n");
  const line = Number(lineText);
  if (!Number.isInteger(line) || line < 1 || line > lines.length) return at;
  const code = lines[line - 1]!.trim().slice(0, 80);
  let file: string | undefined;
  for (let index = line - 1; index >= 0 && file === undefined; index--) file = /^\/\/ (\S.*)$/.exec(lines[index]!)?.[1];
  // dosim's own wrapper (it names a missing class itself): its position would only mislead.
  if (file !== undefined && /runtime\/workers\/[\w-]+\.worker\.ts$/.test(file)) return undefined;
  return `${file ?? "the bundle"}, bundle line ${line}: ${code}`;
}

/**
 * Where `at` (`path:line:column` in a module of the version) is in the user's code: the source
 * position through the build's source map, else {@link bundlePosition}.
 */
export function modulePosition(bundle: VersionBundle, at: string, cwd = process.cwd()): string | undefined {
  const [, file = at, line, column] = /^(.*):(\d+):(\d+)$/.exec(at) ?? [];
  const module = bundle.modules.find((entry) => entry.path === file || file.endsWith(`/${entry.path}`));
  if (module !== undefined && bundle.sourceMap?.module === module.path) {
    const mapped = sourcePosition(bundle.sourceMap, Number(line), Number(column), cwd);
    if (mapped !== undefined) return mapped;
  }
  return typeof module?.contents === "string" ? bundlePosition(module.contents, at) : at;
}

/** A version as messages name it: by tag when it has one, else by number and id. */
export function describeVersion(version: Version): string {
  return version.tag !== undefined && version.tag !== "" ? `version ${version.tag} (number ${version.number})` : `version ${version.number} (${version.id})`;
}

/** The input error for a failed start, naming the version whose Worker failed. */
function startError(failure: ServiceFailure | undefined, workerName: string, versions: readonly HostedVersion[]): InputError {
  if (failure === undefined) return new InputError(VERSION_START_FAILED, "workerd failed to start the Worker's versions and gave no reason; run the Worker with wrangler dev to see why.");
  const hosted = versions.find((entry) => versionWorkerName(workerName, entry.version) === failure.service);
  const position = failure.at === undefined ? undefined : hosted === undefined ? failure.at : modulePosition(hosted.bundle, failure.at);
  const where = position === undefined ? "" : ` (at ${position})`;
  const who = hosted === undefined ? `the service ${failure.service}` : describeVersion(hosted.version);
  return new InputError(VERSION_START_FAILED, `${who} failed to start: ${failure.cause}${where}; fix the Worker's code or config so that it loads.`);
}

/** Starts Miniflare with `options`; a version that cannot start throws an {@link InputError}. */
export async function startWorkerd(options: MiniflareOptions, workerName: string, versions: readonly HostedVersion[]): Promise<Miniflare> {
  const output = new HeldOutput();
  const { Miniflare } = loadMiniflare();
  const mf = new Miniflare({ ...options, handleRuntimeStdio: output.handle });
  try {
    await mf.ready;
  } catch (error) {
    if ((error as { code?: unknown }).code !== "ERR_RUNTIME_FAILURE") throw error;
    const failure = parseStartFailure(await output.errorLines());
    await mf.dispose().catch(() => undefined);
    throw startError(failure, workerName, versions);
  }
  output.release();
  return mf;
}
