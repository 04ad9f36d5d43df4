/**
 * Changes that create a version: `versions upload`, a full `deploy` and a secret change. A new
 * version's code is stored in the manifest as pending before the control plane records it (so a
 * crash in between loses nothing). An upload (and `versions secret put`) leaves workerd alone, as
 * on the platform an upload changes nothing that runs: the version is loaded by the next
 * deployment. A full deploy or `secret put` deploys at once, so it loads the version now. A staged
 * version is hosted already: the control plane only records it, with no restart.
 */
import path from "node:path";
import { ok, type Result } from "../model/errors.js";
import type { DeploymentEffect } from "../model/ledger.js";
import type { Version } from "../model/types.js";
import { setOne, type SecretChange } from "../model/secrets.js";
import { latestVersion, uploadMigrationRefusal } from "../model/versions.js";
import { bundleVersion } from "./bundle.js";
import { deleteClassStorage, deployEffects } from "./class-lifecycle.js";
import { addVersion, recordVersion, writeHostManifest, type HostContext } from "./host-context.js";
import { storeBundle, storeSource } from "./manifest.js";
import { checkStartup } from "./startup-check.js";
import type { HostedVersion } from "./run-layout.js";
import type { StagedOption, VersionSpec } from "./simulator-types.js";
import { sourceOf, versionInput } from "./version-spec.js";
import type { ControlSnapshotView, DeployRequest } from "./workers/control-api.js";

/** Options of a full deploy. */
export type FullDeployOptions = { message?: string; codeUpdate?: DeployRequest["codeUpdate"] } & StagedOption;

/** What a full deploy created and did. */
export type FullDeployResult = { version: Version; effect: DeploymentEffect };

/** Options of a secret change. */
export type PutSecretOptions = { deploy?: boolean; message?: string; tag?: string; label?: string; codeUpdate?: DeployRequest["codeUpdate"] } & StagedOption;

/** `versions upload`: records the version; workerd runs it from the next deployment on. */
export async function uploadVersion(host: HostContext, spec: VersionSpec, options: StagedOption): Promise<Result<Version>> {
  if (options.staged !== undefined) {
    const staged = options.staged;
    return recordStaged(host, staged, spec.label, host.control.call<Result<Version>>("upload", versionInput(sourceOf(host.source, spec), spec), staged), (value) => value);
  }
  const source = sourceOf(host.source, spec);
  // Refused whatever the code (10211): said before the code is built and started, so an upload
  // that needs a full deploy is told so even when its new class is not written yet.
  const refused = uploadMigrationRefusal((await host.control.call<ControlSnapshotView>("snapshot")).worker, versionInput(source, spec));
  if (refused !== undefined) return refused;
  const bundle = await bundleVersion(source);
  return hostNewVersion(host, { source, bundle }, spec, "upload", () => host.control.call<Result<Version>>("upload", versionInput(source, spec)), (value) => value, false);
}

/** Full `deploy` of new code at 100%; loads it (late-slots.ts: a spare slot, else a restart of workerd). */
export async function fullDeployVersion(host: HostContext, spec: VersionSpec, options: FullDeployOptions): Promise<Result<FullDeployResult>> {
  const source = sourceOf(host.source, spec);
  const migration = source.migrations === undefined ? undefined : deployEffects(source, (await host.control.call<ControlSnapshotView>("snapshot")).worker.appliedMigrationTag);
  let answer: Result<FullDeployResult>;
  if (options.staged !== undefined) {
    const request = { input: versionInput(source, spec), ...options, ...(migration !== undefined && { migration }) };
    answer = await recordStaged(host, options.staged, spec.label, host.control.call<Result<FullDeployResult>>("fullDeploy", request), (value) => value.version);
  } else {
    const bundle = await bundleVersion(source);
    const deploy = (): Promise<Result<FullDeployResult>> => host.control.call("fullDeploy", { input: versionInput(source, spec), ...options, ...(migration !== undefined && { migration }) });
    answer = await hostNewVersion(host, { source, bundle }, spec, "deploy", deploy, (value) => value.version);
  }
  // The deleted classes' objects have ended: their stored data goes too.
  if (answer.ok && migration !== undefined) deleteClassStorage(host.storageDir, host.source.name, migration);
  return answer;
}

/** `versions secret put` (or `secret put` with `deploy`, which loads it): a new version of the newest code. */
export async function putSecretVersion(host: HostContext, name: string, value: string, options: PutSecretOptions): Promise<Result<Version>> {
  return changeSecretsVersion(host, setOne(name, value), options);
}

/** Any secret change (put, delete, bulk; deployed with `deploy`): a new version of the newest code, loaded at once (a spare slot, else a restart of workerd). */
export async function changeSecretsVersion(host: HostContext, change: SecretChange, options: PutSecretOptions): Promise<Result<Version>> {
  const request = { change, deploy: options.deploy ?? false, message: options.message, tag: options.tag, codeUpdate: options.codeUpdate };
  if (options.staged !== undefined) {
    const answer = await recordStaged(host, options.staged, options.label, host.control.call<Result<{ version: Version }>>("putSecret", { ...request, staged: options.staged }), (created) => created.version);
    return answer.ok ? ok(answer.value.version) : answer;
  }
  const spec: VersionSpec = options.label !== undefined ? { label: options.label } : {};
  const put = (): Promise<Result<{ version: Version }>> => host.control.call("putSecret", request);
  const base = await newestRecorded(host);
  // Without a version the model refuses, and there is no code to store.
  const answer = base === undefined ? await put() : await hostNewVersion(host, { source: base.source, bundle: base.bundle }, spec, "secret", put, (created) => created.version, options.deploy ?? false);
  return answer.ok ? ok(answer.value.version) : answer;
}

/**
 * The hosted code of the newest recorded version, which the model copies into a secret's version.
 * Not simply the last hosted one: staged versions not recorded yet are hosted after it.
 */
async function newestRecorded(host: HostContext): Promise<HostedVersion | undefined> {
  const newest = latestVersion((await host.control.call<ControlSnapshotView>("snapshot")).worker);
  if (newest === undefined) return undefined;
  const hosted = host.hosted.find((candidate) => candidate.version.id === newest.id);
  if (hosted === undefined) throw new Error(`internal error: version ${newest.id} is recorded but its code is not hosted`);
  return hosted;
}

/**
 * Stores the code as pending, has the control plane record the version, then hosts it: loaded now
 * (into a spare slot, else by a restart) when `load`, else at the next deployment. A refusal forgets the pending code and is
 * passed on.
 */
async function hostNewVersion<T>(
  host: HostContext,
  code: Pick<HostedVersion, "source" | "bundle">,
  spec: VersionSpec,
  reason: string,
  record: () => Promise<Result<T>>,
  versionOf: (value: T) => Version,
  load = true,
): Promise<Result<T>> {
  // New code must start before the platform accepts it (a secret's version reuses checked code).
  if (reason !== "secret") await checkStartup(host, code, { ...code.source.vars, ...spec.vars });
  markPending(host, code, spec, reason);
  const answer = await record();
  if (!answer.ok) {
    writeHostManifest(host);
    return answer;
  }
  if (load) await addVersion(host, { version: versionOf(answer.value), ...code }, spec, reason);
  else recordVersion(host, { version: versionOf(answer.value), ...code }, spec);
  return answer;
}

/** Waits for the control plane to record a staged version (hosted since start: no restart). */
async function recordStaged<T>(host: HostContext, staged: Version, label: string | undefined, answer: Promise<Result<T>>, versionOf: (value: T) => Version): Promise<Result<T>> {
  if (!host.hosted.some((hosted) => hosted.version.id === staged.id)) throw new Error(`version ${staged.id} was not staged when the simulator started`);
  const result = await answer;
  if (result.ok && label !== undefined) host.labels[label] = versionOf(result.value).id;
  return result;
}

/** Stores a version's code before the control plane records it, so a crash in between loses nothing. */
function markPending(host: HostContext, code: Pick<HostedVersion, "source" | "bundle">, spec: VersionSpec, reason: string): void {
  if (host.persistDir === undefined) return;
  writeHostManifest(host, {
    configPath: code.source.configPath,
    ...(spec.main !== undefined && { main: path.resolve(spec.main) }),
    bundleFile: storeBundle(host.persistDir, code.bundle),
    source: storeSource(code.source),
    ...(spec.label !== undefined && { label: spec.label }),
    reason,
  });
}
