// Versions named on the command line: the code now, a folder, a git revision exported once.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REVISION_CACHE, versionsFromSources } from "../../src/check/sources.js";

const dir = realpathSync(mkdtempSync(join(tmpdir(), "dosim-sources-")));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const git = (...args: string[]) => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], { cwd: dir, stdio: "pipe" }).toString().trim();
const config = join(dir, "wrangler.toml");

writeFileSync(config, 'name = "w"\nmain = "src/index.js"\n');
mkdirSync(join(dir, "src"));
writeFileSync(join(dir, "src/index.js"), "// committed\n");
git("init", "-q");
git("add", ".");
git("commit", "-qm", "first");
const commit = git("rev-parse", "HEAD");
writeFileSync(join(dir, "src/index.js"), "// changed\n");
mkdirSync(join(dir, "next"));
writeFileSync(join(dir, "next/wrangler.toml"), 'name = "w"\nmain = "index.js"\n');

describe("versionsFromSources", () => {
  it("exports a git revision into the cache and keeps the config's place in it; . is the code now", () => {
    const [before, now] = versionsFromSources(["HEAD", "now=."], config);
    expect(before!.label).toBe("A");
    expect(before!.config).toBe(join(dir, REVISION_CACHE, commit, "wrangler.toml"));
    expect(readFileSync(join(dir, REVISION_CACHE, commit, "src/index.js"), "utf8")).toBe("// committed\n");
    expect(now).toMatchObject({ label: "now", config });
  });

  it("takes a folder's own config", () => {
    expect(versionsFromSources([".", join(dir, "next")], config)[1]!.config).toBe(join(dir, "next/wrangler.toml"));
  });

  it("refuses what is neither a folder nor a revision, and a label given twice", () => {
    expect(() => versionsFromSources(["no-such-branch"], config)).toThrow(/"no-such-branch" is neither a folder nor a git revision/);
    expect(() => versionsFromSources(["A=.", "A=HEAD"], config)).toThrow(/the label A is given twice/);
  });
});
