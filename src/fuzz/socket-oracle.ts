/**
 * What a rollout's WebSockets must show, worked out on the model's ledger: a socket stays open
 * while the instance of its object that accepted it lives, and once that instance ends it is
 * closed as a reset closes it (src/model/socket-close.ts: 1006, no reason). dosim ends an instance
 * for any reason the ledger records — a code update, a deadline, an eviction, and hibernation too
 * (it cannot keep hibernatable sockets across one; the README's "Hibernation and WebSockets") — so
 * every end the ledger records for the object closes its sockets.
 *
 * One case stays open to the host's timing: an instance reset while calls were held in it (a
 * traffic step's `hold`) drains them, and closes its sockets only once the clock next moves. Until
 * a `wait`, such a socket is not checked.
 */
import type { LedgerState } from "../model/ledger.js";
import { resetSocketClose } from "../model/socket-close.js";

/** A socket step's expectation: closed (how) or still open; undefined when it cannot be told. */
export type SocketClosed = false | { code: number; reason: string };

/** The sockets of one rollout, on the oracle's ledger. */
export class SocketWatch {
  /** Each socket: its object's id and the number of instance ends the ledger had when it opened. */
  readonly #opened = new Map<string, { objectId: string; endsAtOpen: number }>();
  /** Objects whose reset drains held calls: the number of ends before it, until the clock moves. */
  readonly #draining = new Map<string, number>();

  constructor(private readonly ledger: LedgerState) {}

  /** A socket opened on `objectId` (after the ledger saw its request). */
  open(name: string, objectId: string): void {
    this.#opened.set(name, { objectId, endsAtOpen: this.ledger.ends.length });
  }

  /** A traffic step held calls in `objectId` from the moment the ledger had `endsBefore` ends. */
  held(objectId: string, endsBefore: number): void {
    if (!this.#draining.has(objectId)) this.#draining.set(objectId, endsBefore);
  }

  /** The virtual clock moved: every draining instance is gone, with its sockets. */
  clockMoved(): void {
    this.#draining.clear();
  }

  /** What socket `name` must show now; undefined when the host's timing decides it. */
  expected(name: string): SocketClosed | undefined {
    const socket = this.#opened.get(name);
    if (socket === undefined) return undefined;
    const end = this.ledger.ends.findIndex((candidate, index) => index >= socket.endsAtOpen && candidate.objectId === socket.objectId);
    if (end < 0) return false;
    const drainFrom = this.#draining.get(socket.objectId);
    if (drainFrom !== undefined && end >= drainFrom) return undefined;
    return resetSocketClose();
  }
}
