/**
 * Crash safety on restart of a persisted run: the manifest may name a pending version that the
 * control plane did or did not record before the host died.
 */
import { addVersion, writeHostManifest, type HostContext } from "./host-context.js";
import { readBundle, type PendingVersion } from "./manifest.js";
import type { VersionSpec } from "./simulator-types.js";
import { storedSourceOf } from "./version-spec.js";
import type { ControlSnapshotView } from "./workers/control-api.js";

/**
 * After a crash: hosts the version the control plane recorded while the manifest still called it
 * pending (a restart of workerd), and forgets a pending version it never recorded.
 */
export async function recoverPending(host: HostContext, pending: PendingVersion | undefined): Promise<void> {
  const recorded = (await host.control.call<ControlSnapshotView>("snapshot")).worker.versions;
  const missing = recorded.filter((version) => !host.hosted.some((hosted) => hosted.version.id === version.id));
  if (missing.length === 1 && pending !== undefined && host.persistDir !== undefined) {
    const spec: VersionSpec = { ...(pending.label !== undefined && { label: pending.label }), ...(pending.main !== undefined && { main: pending.main }) };
    const hosted = { version: missing[0]!, source: storedSourceOf(pending), bundle: readBundle(host.persistDir, pending.bundleFile) };
    await addVersion(host, hosted, spec, `recovery of an interrupted ${pending.reason}`);
  } else if (missing.length > 0) {
    throw new Error(`the control plane holds ${missing.length} version(s) whose code is not in ${host.persistDir}; the state directory is damaged`);
  } else if (pending !== undefined) {
    writeHostManifest(host);
  }
}
