/** How `secret put` and `versions secret put` read a secret's value: a hidden prompt on a terminal, else stdin. */
import { AccountError } from "../account-client.js";
import type { VerbIo } from "../verb.js";

/** Reads the value and trims trailing whitespace (a newline from `echo`). */
export async function readSecretValue(io: VerbIo, stdin: NodeJS.ReadableStream = process.stdin): Promise<string> {
  let value: string;
  if (io.prompter !== undefined) {
    value = await io.prompter.secret("Enter a secret value:");
  } else {
    const chunks: Buffer[] = [];
    for await (const chunk of stdin) chunks.push(Buffer.from(chunk as Buffer));
    value = Buffer.concat(chunks).toString("utf8");
  }
  value = value.replace(/\s+$/, "");
  if (value === "") throw new AccountError("invalid-input", "The secret's value is empty; pipe it on stdin, e.g. `echo VALUE | dosim secret put NAME`.");
  return value;
}
