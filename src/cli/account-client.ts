/**
 * How the verbs reach the account API of a running `dosim dev`: its address and token are in the
 * state directory's `server.json`. Refusals come back as {@link AccountError}s carrying the
 * model's error code; the verbs print them and exit with code 1.
 */
import { request as httpRequest } from "node:http";
import path from "node:path";
import { processAlive, readServerRecord, resolveStateDir, TOKEN_HEADER, type ServerRecord } from "../dev/state-dir.js";
import type { ApiEnvelope } from "../dev/api-shapes.js";

/** A refusal (from the model, through the server) or a server that cannot be reached. */
export class AccountError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "AccountError";
  }
}

/** A connection to one dev server's account API. */
export interface AccountClient {
  readonly workerName: string;
  /** Where the Worker's traffic goes. */
  readonly url: string;
  /** Calls `<method> <path>` below the Worker's script path (e.g. "/versions"). */
  call<T>(method: string, scriptPath: string, options?: { body?: unknown; query?: Record<string, string> }): Promise<T>;
  /** The server's own facts (worker, url, pid). */
  health(): Promise<{ worker: string; url: string; pid: number }>;
}

/** The message that tells the user to start a server. */
function noServer(persistTo: string | undefined, why: string): AccountError {
  const flag = persistTo === undefined ? "" : ` --persist-to ${persistTo}`;
  return new AccountError(
    "no-dev-server",
    `${why} Start one in another terminal with \`dosim dev${flag}\` (in the Worker's folder), then run this command again.`,
  );
}

/** Finds the dev server that uses the state directory `persistTo` (default `.dosim`) and checks it answers. */
export async function connect(persistTo?: string): Promise<AccountClient> {
  const stateDir = resolveStateDir(persistTo);
  const shown = path.relative(process.cwd(), stateDir) || ".";
  const record = readServerRecord(stateDir);
  if (record === undefined || !processAlive(record.pid)) throw noServer(persistTo, `No dosim dev server is running with its state in ${shown}.`);
  const client = clientFor(record);
  try {
    await client.health();
  } catch (error) {
    if (error instanceof AccountError && error.code === "unreachable") {
      throw noServer(persistTo, `The dosim dev server recorded in ${shown}/server.json (pid ${record.pid}) does not answer at ${record.url}.`);
    }
    throw error;
  }
  return client;
}

/** A client for a server record. */
export function clientFor(record: ServerRecord): AccountClient {
  const base = `${record.apiUrl}/client/v4/accounts/local/workers/scripts/${encodeURIComponent(record.workerName)}`;
  const request = async <T>(method: string, url: URL, options: { body?: unknown; query?: Record<string, string> }): Promise<T> => {
    for (const [name, value] of Object.entries(options.query ?? {})) url.searchParams.set(name, value);
    let answer: { status: number; text: string };
    try {
      answer = await send(method, url, { [TOKEN_HEADER]: record.token }, options.body === undefined ? undefined : JSON.stringify(options.body));
    } catch (error) {
      const why = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      throw new AccountError("unreachable", `The dosim dev server at ${record.url} cannot be reached (${why}).`);
    }
    let envelope: ApiEnvelope<T> | undefined;
    try {
      envelope = JSON.parse(answer.text) as ApiEnvelope<T>;
    } catch {
      envelope = undefined;
    }
    if (envelope === undefined) throw new AccountError("internal", `The dosim dev server answered ${answer.status} without JSON.`);
    if (!envelope.success) {
      const error = envelope.errors[0] ?? { code: "internal", message: `The dosim dev server answered ${answer.status}.` };
      throw new AccountError(error.code, error.message, error.details);
    }
    return envelope.result as T;
  };
  return {
    workerName: record.workerName,
    url: record.url,
    call: (method, scriptPath, options = {}) => request(method, new URL(`${base}${scriptPath}`), options),
    health: () => request("GET", new URL(`${record.apiUrl}/health`), {}),
  };
}

/**
 * One request with node:http, not fetch: a verb is a short process that sends one or two requests,
 * and fetch's first use loads undici and compiles its HTTP parser, which cost more CPU than the
 * rest of the verb (about 0.35 s of its 0.7 s).
 */
function send(method: string, url: URL, headers: Record<string, string>, body: string | undefined): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(url, {
      method,
      headers: { ...headers, ...(body !== undefined && { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) }) },
    });
    outgoing.on("error", reject);
    outgoing.on("response", (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
      incoming.on("error", reject);
      incoming.on("end", () => resolve({ status: incoming.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
    });
    outgoing.end(body);
  });
}
