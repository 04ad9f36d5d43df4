/**
 * The state directory of `dosim dev` (`--persist-to`, default `.dosim`): the host's persisted run
 * (manifest, bundles, Durable Object storage, the control plane), the trace file, and
 * `server.json`, where a running server records its address so the verbs can find it. Every file
 * is replaced atomically, so a crash never leaves one half-written.
 */
import { randomBytes } from "node:crypto";
import { closeSync, existsSync, ftruncateSync, fstatSync, mkdirSync, openSync, readFileSync, readSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

/** The default state directory, relative to the working directory. */
export const DEFAULT_STATE_DIR = ".dosim";

/** Where the account API lives on the dev server (Cloudflare never lets `/cdn-cgi/` reach a Worker). */
export const API_PREFIX = "/cdn-cgi/dosim";

/** The header that carries the server's token on account API calls. */
export const TOKEN_HEADER = "x-dosim-token";

/** What a running dev server records about itself. */
export interface ServerRecord {
  readonly pid: number;
  /** Where user traffic goes, e.g. http://127.0.0.1:8787. */
  readonly url: string;
  /** The account API's base URL (`<url>/cdn-cgi/dosim`), reachable from this machine. */
  readonly apiUrl: string;
  /** Sent by the verbs on every API call; the file is readable by its owner only. */
  readonly token: string;
  readonly workerName: string;
  readonly configPath: string;
  readonly startedAt: string;
  /** workerd processes of this server, stopped by the next server if this one is killed. */
  readonly childPids: readonly number[];
}

const SERVER_FILE = "server.json";

/** The absolute state directory for a `--persist-to` value. */
export function resolveStateDir(persistTo: string | undefined): string {
  return path.resolve(persistTo ?? DEFAULT_STATE_DIR);
}

/** The file where trace events are appended, one JSON object per line. */
export function traceFile(stateDir: string): string {
  return path.join(stateDir, "traces.ndjson");
}

/** Writes `text` to `file` atomically (a temporary file, then a rename). */
export function writeAtomically(file: string, text: string, mode = 0o600): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, text, { mode });
  renameSync(temporary, file);
}

/** The record of the server that uses `stateDir`, if one was written (and is readable). */
export function readServerRecord(stateDir: string): ServerRecord | undefined {
  const file = path.join(stateDir, SERVER_FILE);
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, "utf8")) as ServerRecord;
  } catch {
    return undefined;
  }
}

/** Records this server (readable by its owner only: it holds the API token). */
export function writeServerRecord(stateDir: string, record: ServerRecord): void {
  writeAtomically(path.join(stateDir, SERVER_FILE), `${JSON.stringify(record, null, 2)}\n`, 0o600);
}

/** Removes the record if it is still this process's. */
export function removeServerRecord(stateDir: string, pid = process.pid): void {
  if (readServerRecord(stateDir)?.pid === pid) rmSync(path.join(stateDir, SERVER_FILE), { force: true });
}

/** A fresh API token. */
export function newToken(): string {
  return randomBytes(24).toString("hex");
}

/** A fresh seed for a new state directory. */
export function newSeed(): string {
  return randomBytes(8).toString("hex");
}

/** True when a process with this id runs (a zombie, killed but not yet reaped, does not). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return true; // no /proc (not Linux): kill(0) is all we know
  }
}

/** The command line of a process (Linux /proc), or "" when it cannot be read. */
function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
  } catch {
    return "";
  }
}

/** The workerd processes started by `pid` (Linux only; elsewhere none are found). */
export function workerdChildren(pid = process.pid): number[] {
  if (!existsSync("/proc")) return [];
  const children: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (parent === pid && commandLine(Number(entry)).includes("workerd")) children.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return children;
}

/**
 * Drops a torn last line from an NDJSON file (a crash in the middle of an append), so every line
 * that remains parses.
 */
export function repairNdjson(file: string): void {
  if (!existsSync(file)) return;
  const fd = openSync(file, "r+");
  try {
    const size = fstatSync(fd).size;
    if (size === 0) return;
    const tail = Buffer.alloc(Math.min(size, 1 << 20));
    readSync(fd, tail, 0, tail.length, size - tail.length);
    if (tail[tail.length - 1] === 0x0a) return;
    const lastNewline = tail.lastIndexOf(0x0a);
    ftruncateSync(fd, lastNewline === -1 ? Math.max(0, size - tail.length) : size - tail.length + lastNewline + 1);
  } finally {
    closeSync(fd);
  }
}
