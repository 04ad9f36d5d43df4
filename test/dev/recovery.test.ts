/**
 * Persistence robustness: a change interrupted between the control plane's commit and the host's
 * manifest comes back whole (the version's code was stored first, as pending), one interrupted
 * before the commit leaves nothing behind, and a torn last line of the trace file is dropped.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repairNdjson } from "../../src/dev/state-dir.js";
import { readManifest, writeManifest } from "../../src/runtime/manifest.js";
import { Simulator } from "../../src/runtime/index.js";

describe("a change interrupted by a crash", () => {
  const dirs: string[] = [];
  /** A persisted host with one upload (version b) done and recorded, made once for the tests below. */
  let base: string;
  /** A copy of the base state for one test, so that no test depends on what another did. */
  const copyOfBase = (): string => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "dosim-recovery-"));
    dirs.push(dir);
    cpSync(base, dir, { recursive: true });
    return dir;
  };
  beforeAll(async () => {
    base = mkdtempSync(path.join(os.tmpdir(), "dosim-recovery-base-"));
    dirs.push(base);
    const first = await Simulator.start({ config: "wrangler.toml", persistDir: base, seed: "recovery" });
    try {
      expect((await first.upload({ tag: "b", vars: { GREETING: "Howdy" } })).ok).toBe(true);
    } finally {
      await first.close();
    }
  });
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it("recovers a version the control plane recorded while the manifest still called it pending", async () => {
    const dir = copyOfBase();
    // As if the process died right after the control plane's commit: the manifest lacks the version.
    const manifest = readManifest(dir)!;
    const last = manifest.versions[manifest.versions.length - 1]!;
    writeManifest(dir, { ...manifest, versions: manifest.versions.slice(0, -1), pending: { configPath: last.configPath, bundleFile: last.bundleFile, ...(last.source && { source: last.source }), reason: "upload" } });

    const second = await Simulator.start({ config: "wrangler.toml", persistDir: dir });
    try {
      expect(second.events.map((event) => event.reason)).toEqual([expect.stringContaining("recovery of an interrupted upload")]);
      expect(readManifest(dir)!.pending).toBeUndefined();
      expect(readManifest(dir)!.versions).toHaveLength(2);
      expect((await second.deploy("b@100")).ok).toBe(true);
      expect(await (await second.fetch("/")).text()).toBe("Howdy from version b");
    } finally {
      await second.close();
    }
  });

  it("forgets a pending version the control plane never recorded", async () => {
    const dir = copyOfBase();
    const manifest = readManifest(dir)!;
    const last = manifest.versions[manifest.versions.length - 1]!;
    writeManifest(dir, { ...manifest, pending: { configPath: last.configPath, bundleFile: last.bundleFile, reason: "upload" } });
    const third = await Simulator.start({ config: "wrangler.toml", persistDir: dir });
    try {
      expect(third.events).toEqual([]);
      expect(await third.versions()).toHaveLength(2);
      expect(readManifest(dir)!.pending).toBeUndefined();
    } finally {
      await third.close();
    }
  });
});

describe("the trace file", () => {
  it("drops a torn last line and keeps the whole ones", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "dosim-ndjson-"));
    const file = path.join(dir, "traces.ndjson");
    try {
      writeFileSync(file, '{"a":1}\n{"b":2}\n{"c":');
      repairNdjson(file);
      expect(readFileSync(file, "utf8")).toBe('{"a":1}\n{"b":2}\n');
      repairNdjson(file);
      expect(readFileSync(file, "utf8")).toBe('{"a":1}\n{"b":2}\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
