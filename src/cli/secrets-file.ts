/**
 * Secrets from a file or stdin, read as wrangler reads them for `secret bulk`, `versions secret
 * bulk` and `--secrets-file` (deploy-helpers parse-bulk-input.ts): JSON `{"KEY": "value", ...}`
 * (null deletes, where deleting is allowed), or else a .env file of `KEY=VALUE` lines. Node's own
 * `util.parseEnv` reads the .env form.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseEnv } from "node:util";
import { InputError } from "./exit-codes.js";

/** Secret values by name; null marks a deletion (JSON only). */
export type SecretEntries = Record<string, string | null>;

/** Parses `text` from `where` (a file name, or "piped input"): JSON, else .env. */
export function parseSecrets(text: string, where: string): SecretEntries | undefined {
  let content: unknown;
  try {
    content = JSON.parse(text) as unknown;
  } catch {
    content = parseEnv(text);
    if (Object.keys(content as object).length === 0) return undefined;
  }
  if (typeof content !== "object" || content === null || Array.isArray(content)) {
    throw new InputError("invalid-input", `The contents of "${where}" is not valid. It should be a JSON object of string values.`);
  }
  for (const [key, value] of Object.entries(content)) {
    if (value !== null && typeof value !== "string") {
      throw new InputError("invalid-input", `The value for "${key}" in "${where}" is not null or a "string" instead it is of type "${typeof value}"`);
    }
  }
  return content as SecretEntries;
}

/** Reads a secrets file; refuses one that holds no secrets in either form. */
export function readSecretsFile(file: string): SecretEntries {
  let text: string;
  try {
    text = readFileSync(path.resolve(file), "utf8");
  } catch (error) {
    throw new InputError("invalid-input", `Cannot read the secrets file ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)}); check the path.`);
  }
  const entries = parseSecrets(text, file);
  if (entries === undefined) throw new InputError("invalid-input", `The contents of "${file}" is not valid.`);
  return entries;
}

/** Reads secrets from the file, or from stdin when there is none; undefined when there is no content. */
export async function readBulkSecrets(file: string | undefined, stdin: NodeJS.ReadableStream = process.stdin): Promise<SecretEntries | undefined> {
  if (file !== undefined) return readSecretsFile(file);
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(Buffer.from(chunk as Buffer));
  return parseSecrets(Buffer.concat(chunks).toString("utf8"), "piped input");
}

/** The values to set (deletions dropped), as `--secrets-file` and `versions secret bulk` use them. */
export function valuesOnly(entries: SecretEntries): Record<string, string> {
  return Object.fromEntries(Object.entries(entries).filter((entry): entry is [string, string] => entry[1] !== null));
}
