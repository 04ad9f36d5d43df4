/**
 * The platform checks that an uploaded Worker starts before it accepts the upload: one whose
 * module throws while it loads is refused with API error 10021 ("Uncaught Error ...", as wrangler
 * shows it for `versions upload` and `deploy`). Here the new code starts alone in a throwaway
 * workerd, so the running one (and every live instance) is left alone. Its storage folder lies in
 * the state directory, which makes a check that a kill -9 interrupts findable by the next start
 * (it stops every workerd holding a file of the directory open).
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { InputError } from "../model/input-error.js";
import type { Version } from "../model/types.js";
import type { HostContext } from "./host-context.js";
import { buildMiniflareOptions, type HostedVersion } from "./options.js";
import { startWorkerd, VERSION_START_FAILED } from "./workerd-start.js";

/** The code the account API answers for a Worker that fails to start (Cloudflare's number). */
export const STARTUP_FAILED_CODE = "10021";

/** The folder the check's workerd stores in, removed afterwards. */
function checkDir(host: Pick<HostContext, "persistDir">): string {
  if (host.persistDir === undefined) return mkdtempSync(path.join(os.tmpdir(), "dosim-startup-"));
  const dir = path.join(host.persistDir, "startup-check");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { mode: 0o700 });
  return dir;
}

/** Throws an {@link InputError} (code 10021) when `code` cannot start; the running workerd is not touched. */
export async function checkStartup(host: Pick<HostContext, "source" | "internal" | "boot" | "persistDir">, code: Pick<HostedVersion, "source" | "bundle">, vars: Version["vars"]): Promise<void> {
  // A stand-in record: the check needs a version's shape, not the id the control plane will give.
  const version: Version = { id: "00000000-0000-4000-8000-000000000000", number: 1, triggeredBy: "upload", createdAtMs: 0, vars, secrets: {} };
  const hosted: HostedVersion = { version, ...code };
  const dir = checkDir(host);
  try {
    const options = buildMiniflareOptions({ workerName: host.source.name, versions: [hosted], internal: host.internal, boot: host.boot, persistDir: dir });
    const mf = await startWorkerd(options, host.source.name, [hosted]);
    await mf.dispose();
  } catch (error) {
    if (!(error instanceof InputError) || error.code !== VERSION_START_FAILED) throw error;
    throw new InputError(STARTUP_FAILED_CODE, error.message.replace(/^.*? failed to start: /, "The uploaded Worker failed to start: "));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
