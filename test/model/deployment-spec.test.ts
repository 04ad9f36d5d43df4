import { describe, expect, it } from "vitest";
import { deployableVersions } from "../../src/model/deployable.js";
import { formatDeploymentSpec, parseDeploymentSpec, resolveVersionRef } from "../../src/model/deployment-spec.js";
import { emptyWorker } from "../../src/model/types.js";
import { uploadVersion } from "../../src/model/versions.js";
import { refusal, testContext, unwrap, workerWith } from "../helpers/model-fixtures.js";

describe("parseDeploymentSpec", () => {
  it("reads a comma-separated spec in listed order", () => {
    expect(unwrap(parseDeploymentSpec("B@20,A@80"))).toEqual([
      { ref: "B", percentage: 20 },
      { ref: "A", percentage: 80 },
    ]);
  });

  it("reads separate tokens, whitespace and a % suffix alike", () => {
    const expected = [
      { ref: "B", percentage: 20.5 },
      { ref: "A", percentage: 79.5 },
    ];
    expect(unwrap(parseDeploymentSpec(["B@20.5", "A@79.5"]))).toEqual(expected);
    expect(unwrap(parseDeploymentSpec("B@20.5%  A@79.5%"))).toEqual(expected);
    expect(unwrap(parseDeploymentSpec([" B@20.5%, ", "A@79.5"]))).toEqual(expected);
    expect(unwrap(parseDeploymentSpec("B@.5,A@99.5"))[0]).toEqual({ ref: "B", percentage: 0.5 });
    expect(unwrap(parseDeploymentSpec("B@5.,A@95"))[0]).toEqual({ ref: "B", percentage: 5 });
  });

  it("splits at the last @, so references may contain one", () => {
    expect(unwrap(parseDeploymentSpec("me@v2@30,A@70"))[0]).toEqual({ ref: "me@v2", percentage: 30 });
  });

  it("infers one missing percentage from the others", () => {
    expect(unwrap(parseDeploymentSpec("A"))).toEqual([{ ref: "A", percentage: 100 }]);
    expect(unwrap(parseDeploymentSpec("B@20.125,A"))).toEqual([
      { ref: "B", percentage: 20.125 },
      { ref: "A", percentage: 79.875 },
    ]);
    // Inference rounds to 3 decimals, so floating-point noise never leaks in.
    expect(unwrap(parseDeploymentSpec("B@33.333,A"))[1]!.percentage).toBe(66.667);
    // A leftover below 0 is inferred as is; deploying it is refused later.
    expect(unwrap(parseDeploymentSpec("B@150,A"))[1]!.percentage).toBe(-50);
  });

  it("refuses two missing percentages", () => {
    const error = refusal(parseDeploymentSpec("A,B"), "invalid-version-spec");
    expect(error.message).toContain("A, B");
  });

  it("refuses an empty spec with no-versions", () => {
    refusal(parseDeploymentSpec(""), "no-versions");
    refusal(parseDeploymentSpec(" , "), "no-versions");
    refusal(parseDeploymentSpec([]), "no-versions");
  });

  it.each(["A@", "@50", "A@-5", "A@abc", "A@1e2", "A@50%%", "A@%", "A@0x10", "A@5%0"])("refuses the bad token %j", (spec) => {
    const error = refusal(parseDeploymentSpec(spec), "invalid-version-spec");
    expect(error.details).toEqual({ token: spec });
    expect(error.message).toContain("<version>@<percentage>");
  });

  it("formats items back into wrangler's form", () => {
    expect(
      formatDeploymentSpec([
        { ref: "B", percentage: 20 },
        { ref: "A", percentage: 80 },
      ]),
    ).toBe("B@20,A@80");
    const items = unwrap(parseDeploymentSpec("B@12.5,A@87.5"));
    expect(unwrap(parseDeploymentSpec(formatDeploymentSpec(items.map((item) => ({ ref: item.ref, percentage: item.percentage! })))))).toEqual(items);
  });
});

describe("resolveVersionRef", () => {
  const ctx = testContext("v");
  const { state, ids } = workerWith(["A", "B", "C"], ctx);
  const deployable = deployableVersions(state);

  it("resolves a label, an id and a tag", () => {
    expect(unwrap(resolveVersionRef(state, "first", deployable, { first: ids.A! })).id).toBe(ids.A);
    expect(unwrap(resolveVersionRef(state, ids.B!, deployable)).id).toBe(ids.B);
    expect(unwrap(resolveVersionRef(state, "C", deployable)).id).toBe(ids.C);
  });

  it("prefers a label over a tag of the same name", () => {
    expect(unwrap(resolveVersionRef(state, "A", deployable, { A: ids.C! })).id).toBe(ids.C);
  });

  it("refuses a tag shared by two deployable versions", () => {
    const twice = unwrap(uploadVersion(state, { tag: "B" }, ctx)).state;
    const error = refusal(resolveVersionRef(twice, "B", deployableVersions(twice)), "ambiguous-version-tag");
    expect(error.details).toEqual({ tag: "B", versionIds: [ids.B, twice.versions[3]!.id] });
  });

  it("looks tags up among deployable versions only", () => {
    // Version A is outside a window of 2, so its tag is unknown; its id still resolves.
    const inWindow = state.versions.slice(1);
    refusal(resolveVersionRef(state, "A", inWindow), "unknown-version");
    expect(unwrap(resolveVersionRef(state, ids.A!, inWindow)).id).toBe(ids.A);
  });

  it("refuses an unknown reference, naming it", () => {
    const unknownTag = refusal(resolveVersionRef(state, "Z", deployable), "unknown-version");
    expect(unknownTag.details).toEqual({ ref: "Z" });
    expect(unknownTag.message).toContain("not a valid version id");
    const uuid = "11111111-2222-4333-8444-555555555555";
    const unknownId = refusal(resolveVersionRef(state, uuid, deployable), "unknown-version");
    expect(unknownId.message).toContain(`No version with id ${uuid}`);
    refusal(resolveVersionRef(emptyWorker("w"), "A", []), "unknown-version");
  });
});
