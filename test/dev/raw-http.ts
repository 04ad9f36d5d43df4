/**
 * Raw HTTP for the dev server's security tests: requests written byte for byte on a socket (any
 * Host, any header, malformed ones too), and the loopback ports a process listens on (Linux /proc),
 * to reach workerd's own port as another local process could.
 */
import { readFileSync, readdirSync, readlinkSync } from "node:fs";
import { connect } from "node:net";

/** A parsed answer. */
export interface RawAnswer {
  readonly status: number;
  readonly head: string;
  readonly body: string;
}

/** Sends `head` (request line and headers, without the blank line) and `body` to `port`, and reads the whole answer. */
export function rawRequest(port: number, head: string, body = ""): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    let text = "";
    let settled = false;
    const finish = (): void => {
      if (settled) return;
      settled = true;
      socket.destroy();
      const split = text.indexOf("\r\n\r\n");
      const headPart = split === -1 ? text : text.slice(0, split);
      const raw = split === -1 ? "" : text.slice(split + 4);
      const answerBody = /^transfer-encoding: chunked$/im.test(headPart) ? unchunk(raw) : raw;
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(headPart)?.[1] ?? 0), head: headPart, body: answerBody });
    };
    socket.setEncoding("latin1");
    // Done when the answer is complete (some servers keep the connection despite connection: close), or the server closes.
    socket.on("data", (chunk: string) => {
      text += chunk;
      if (answerComplete(text)) finish();
    });
    socket.on("error", (error) => (settled ? undefined : reject(error)));
    // Writing without half-closing: Node's server drops a request whose client ended its side first.
    socket.on("close", finish);
    const length = body.length > 0 ? `\r\ncontent-length: ${Buffer.byteLength(body)}` : "";
    socket.write(`${head}\r\nconnection: close${length}\r\n\r\n${body}`);
  });
}

/** Whether `text` holds a whole answer: its head, and its body by content-length or the last chunk. */
function answerComplete(text: string): boolean {
  const split = text.indexOf("\r\n\r\n");
  if (split === -1) return false;
  const head = text.slice(0, split);
  const length = /^content-length: (\d+)$/im.exec(head);
  if (length !== null) return text.length - split - 4 >= Number(length[1]);
  return /^transfer-encoding: chunked$/im.test(head) && text.endsWith("0\r\n\r\n");
}

/** The payload of a chunked body. */
function unchunk(raw: string): string {
  let body = "";
  let at = 0;
  for (;;) {
    const lineEnd = raw.indexOf("\r\n", at);
    const size = lineEnd === -1 ? 0 : parseInt(raw.slice(at, lineEnd), 16);
    if (!(size > 0)) return body;
    body += raw.slice(lineEnd + 2, lineEnd + 2 + size);
    at = lineEnd + 2 + size + 2;
  }
}

/** The TCP ports `pid` listens on (Linux only; empty elsewhere). */
export function listeningPorts(pid: number): number[] {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (match !== null) inodes.add(match[1]!);
    } catch {
      // The descriptor closed while we looked.
    }
  }
  const ports = new Set<number>();
  for (const table of ["tcp", "tcp6"]) {
    for (const line of readFileSync(`/proc/${pid}/net/${table}`, "utf8").split("\n").slice(1)) {
      const fields = line.trim().split(/\s+/);
      // fields: sl, local_address, rem_address, st, …, inode (index 9); state 0A is LISTEN.
      if (fields.length > 9 && fields[3] === "0A" && inodes.has(fields[9]!)) ports.add(parseInt(fields[1]!.split(":")[1]!, 16));
    }
  }
  return [...ports];
}
