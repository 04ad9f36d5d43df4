/**
 * The dashboard's live feed as server-sent events. While a page listens, the server looks at the
 * simulator's state twice a second and sends `change` when anything a page shows has changed
 * (deployments, versions, objects' assigned and running versions, live instances, waiting updates),
 * with the resets and deferred switches since the last event and the request-log lines since then.
 */
import type { ServerResponse } from "node:http";
import type { ResetRecord } from "../../model/ledger.js";
import type { ControlSnapshotView } from "../../runtime/workers/control-api.js";

const INTERVAL_MS = 500;
/** Lines kept for a page that connects later (the request log's recent past). */
const RECENT_LINES = 200;

/** The request log's lines, for the pages listening. */
export class LogLines {
  readonly #recent: string[] = [];
  readonly #listeners = new Set<(line: string) => void>();

  /** Records a line of the request log. */
  push(line: string): void {
    this.#recent.push(line);
    if (this.#recent.length > RECENT_LINES) this.#recent.shift();
    for (const listener of this.#listeners) listener(line);
  }

  /** The recent lines, then every new one to `listener`, until the returned function is called. */
  follow(listener: (line: string) => void): () => void {
    for (const line of this.#recent) listener(line);
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}

/** One entry of the reset and deferred-switch feed. */
export interface FeedEntry {
  readonly kind: "reset" | "deferred";
  readonly object: string;
  readonly from: string;
  readonly to: string;
  /** The reset's cause, or the deferred switch's deadline (ISO). */
  readonly detail: string;
}

function fingerprint(snapshot: ControlSnapshotView): string {
  const objects = Object.values(snapshot.ledger.objects).map((record) => [record.id, record.assigned, record.running, record.live, record.pending?.to ?? ""]);
  return JSON.stringify([snapshot.worker.versions.length, snapshot.worker.deployments.length, snapshot.ledger.resets.length, objects]);
}

function resetEntry(reset: ResetRecord, name: string | undefined): FeedEntry {
  return { kind: "reset", object: name ?? reset.objectId, from: reset.from, to: reset.to, detail: `${reset.cause}${reset.live ? ", live instance dropped" : ""}` };
}

/** The feed entries between two snapshots: new resets, and objects that started waiting for an update. */
export function feedBetween(before: ControlSnapshotView | undefined, after: ControlSnapshotView): FeedEntry[] {
  const entries: FeedEntry[] = [];
  for (const reset of after.ledger.resets.slice(before?.ledger.resets.length ?? after.ledger.resets.length)) {
    entries.push(resetEntry(reset, after.ledger.objects[reset.objectId]?.name));
  }
  for (const record of Object.values(after.ledger.objects)) {
    const pending = record.pending;
    if (pending === undefined || before?.ledger.objects[record.id]?.pending?.deploymentId === pending.deploymentId) continue;
    entries.push({ kind: "deferred", object: record.name ?? record.id, from: record.running, to: pending.to, detail: new Date(pending.deadlineMs).toISOString() });
  }
  return entries;
}

/** Streams the feed to `res` until the client goes away; `read` takes a snapshot. */
export function streamFeed(res: ServerResponse, read: () => Promise<ControlSnapshotView>, lines: LogLines): void {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-store", connection: "keep-alive" });
  const send = (event: string, data: unknown): void => {
    res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };
  let last: ControlSnapshotView | undefined;
  let lastPrint = "";
  let busy = false;
  const look = async (): Promise<void> => {
    if (busy) return;
    busy = true;
    try {
      const snapshot = await read();
      const print = fingerprint(snapshot);
      if (print !== lastPrint) send("change", { feed: feedBetween(last, snapshot) });
      last = snapshot;
      lastPrint = print;
    } catch {
      // The simulator is restarting or closing: the next look tries again.
    } finally {
      busy = false;
    }
  };
  const unfollow = lines.follow((line) => send("log", { line }));
  void look();
  const timer = setInterval(() => void look(), INTERVAL_MS);
  timer.unref();
  res.on("close", () => {
    clearInterval(timer);
    unfollow();
  });
}
