/**
 * Which hosted versions workerd runs. A version no deployment of the run names (a scenario's dry
 * run knows: `routable: false`) never runs a request or an object, so it stays out of workerd.
 * That keeps a run with many uploads linear: Miniflare serialises its whole config into one capnp
 * arena that regrows by copying itself (cloudflare/workers-sdk#15271), so its cost grows with the
 * square of the config's size, and every version's worker carries its own copy of the code.
 * One never-deployed version per distinct code and bindings still runs, so code that cannot start
 * fails the run, as its upload would fail on the platform.
 */
import type { HostedVersion } from "./run-layout.js";

/** The versions of `hosted` that workerd runs: the deployable ones, and one of each distinct dormant kind. */
export function workerdVersions(hosted: readonly HostedVersion[]): HostedVersion[] {
  const running = new Map<HostedVersion["bundle"], Set<string>>();
  const runs = (entry: HostedVersion): boolean => running.get(entry.bundle)?.has(bindingsKey(entry)) === true;
  const add = (entry: HostedVersion): void => {
    const keys = running.get(entry.bundle) ?? new Set<string>();
    keys.add(bindingsKey(entry));
    running.set(entry.bundle, keys);
  };
  for (const entry of hosted) if (entry.routable !== false) add(entry);
  return hosted.filter((entry) => {
    if (entry.routable !== false) return true;
    if (runs(entry)) return false;
    add(entry);
    return true;
  });
}

/** What, besides its code, decides whether a version's Worker starts: its config, vars and secrets. */
function bindingsKey({ version, source }: HostedVersion): string {
  return JSON.stringify([source.configPath, source.compatibilityDate, source.compatibilityFlags, version.vars, version.secrets]);
}
