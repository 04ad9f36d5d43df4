/**
 * The body of an upload or full deploy: which wrangler config to read (the server reads and
 * bundles the code it names, as it is on disk now), the annotations and extra vars. The config
 * must describe the Worker this server runs.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { fail, ok, type Result } from "../model/errors.js";
import { readWorkerSource } from "../runtime/config.js";

/** A checked upload body. */
export interface UploadRequest {
  readonly config: string;
  /** The config's environment (wrangler's `-e/--env`). */
  readonly env?: string;
  readonly tag?: string;
  readonly message?: string;
  readonly vars?: Readonly<Record<string, string>>;
}

function optionalString(value: unknown, field: string): Result<string | undefined> {
  if (value === undefined || value === null) return ok(undefined);
  return typeof value === "string" ? ok(value) : fail("invalid-input", `${field} must be a string.`);
}

/** Checks an upload body against the Worker the server runs. */
export function readUploadRequest(body: unknown, workerName: string): Result<UploadRequest> {
  const value = (body ?? {}) as Record<string, unknown>;
  const config = value["config"];
  if (typeof config !== "string" || !path.isAbsolute(config)) return fail("invalid-input", "Give the absolute path of the wrangler config to upload.");
  if (!existsSync(config)) return fail("invalid-input", `${config} does not exist; pass --config with the Worker's wrangler config.`);
  let name: string;
  try {
    name = readWorkerSource(config, typeof value["env"] === "string" ? { env: value["env"] } : {}).name;
  } catch (error) {
    return fail("invalid-input", `${config} cannot be read: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (name !== workerName) {
    return fail("invalid-input", `${config} describes the Worker "${name}", but this dev server runs "${workerName}"; start another dev server for it.`);
  }
  const tag = optionalString(value["tag"], "tag");
  if (!tag.ok) return tag;
  const message = optionalString(value["message"], "message");
  if (!message.ok) return message;
  const vars = value["vars"];
  if (vars !== undefined && (typeof vars !== "object" || vars === null || Object.values(vars).some((text) => typeof text !== "string"))) {
    return fail("invalid-input", "vars must map names to strings.");
  }
  const env = optionalString(value["env"], "env");
  if (!env.ok) return env;
  return ok({
    config,
    ...(env.value !== undefined && { env: env.value }),
    ...(tag.value !== undefined && { tag: tag.value }),
    ...(message.value !== undefined && { message: message.value }),
    ...(vars !== undefined && { vars: vars as Record<string, string> }),
  });
}
