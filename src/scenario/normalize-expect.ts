/**
 * Expectations as written → as a runner reads them: counts become ranges, deployments become
 * labelled entries, and every label they name must be declared by then.
 */
import { parseDeploymentSpec } from "../model/deployment-spec.js";
import type { CheckContext, Path } from "./check-context.js";
import type { z } from "zod";
import type { ActionExpect, DeploymentSpec, ResponsesExpect, StateExpect, TrafficExpect } from "./schema/expect.js";
import type { ActionExpectation, LabelledEntry, ResponsesExpectation, StateExpectation } from "./types.js";
import type { ErrorCode } from "../model/errors.js";

type StateFile = z.infer<typeof StateExpect>;
type ActionFile = z.infer<typeof ActionExpect>;
type ResponsesFile = z.infer<typeof ResponsesExpect> | z.infer<typeof TrafficExpect>;

/**
 * A deployment as entries in listed order. Returns undefined (after reporting, unless `quiet`)
 * when the spec does not parse or names an undeclared label.
 */
export function deploymentEntries(ctx: CheckContext, spec: z.infer<typeof DeploymentSpec>, path: Path, quiet = false): LabelledEntry[] | undefined {
  if (typeof spec !== "string") {
    const entries = Object.entries(spec).map(([label, percentage]) => ({ label, percentage }));
    if (entries.length === 0) {
      if (!quiet) ctx.report(path, "no version was selected; give at least one, for example {A: 100}", "no-versions");
      return undefined;
    }
    const known = quiet || entries.every((entry) => ctx.checkLabel(entry.label, [...path, entry.label], "key"));
    return known ? entries : undefined;
  }
  const parsed = parseDeploymentSpec(spec);
  if (!parsed.ok) {
    if (!quiet) ctx.report(path, parsed.error.message, parsed.error.code);
    return undefined;
  }
  const entries = parsed.value.map((item) => ({ label: item.ref, percentage: item.percentage ?? 100 }));
  const known = quiet || entries.map((entry) => ctx.checkLabel(entry.label, path)).every(Boolean);
  return known ? entries : undefined;
}

/** State expectations. */
export function stateExpectation(ctx: CheckContext, value: StateFile, path: Path): StateExpectation {
  for (const key of ["objects", "running"] as const) {
    for (const [name, label] of Object.entries(value[key] ?? {})) ctx.checkLabel(label, [...path, key, name]);
    ctx.objectRefKeys(value[key], [...path, key]);
  }
  if (value.live !== undefined) {
    const seen = new Set<string>();
    value.live.forEach((name, index) => {
      if (seen.has(name)) ctx.report([...path, "live", index], `"${name}" is listed twice`, "duplicate-name");
      seen.add(name);
      ctx.objectRef(name, [...path, "live", index]);
    });
  }
  const resets = value.resets;
  ctx.objectRefKeys(resets?.perObject, [...path, "resets", "perObject"]);
  const deployment = value.deployment === undefined ? undefined : deploymentEntries(ctx, value.deployment, [...path, "deployment"]);
  return {
    ...(value.objects !== undefined && { objects: value.objects }),
    ...(value.running !== undefined && { running: value.running }),
    ...(value.live !== undefined && { live: value.live }),
    ...(resets !== undefined && {
      resets: {
        ...(resets.total !== undefined && { total: ctx.count(resets.total, [...path, "resets", "total"]) }),
        ...(resets.step !== undefined && { step: ctx.count(resets.step, [...path, "resets", "step"]) }),
        ...(resets.perObject !== undefined && { perObject: ctx.countMap(resets.perObject, [...path, "resets", "perObject"])! }),
      },
    }),
    ...(deployment !== undefined && { deployment }),
  };
}

/** Expectations of an operation: the state after it, or its refusal. */
export function actionExpectation(ctx: CheckContext, value: ActionFile | undefined, path: Path): ActionExpectation | undefined {
  if (value === undefined) return undefined;
  const { refused, ...state } = value;
  return { ...stateExpectation(ctx, state, path), ...(refused !== undefined && { refused: String(refused) as ErrorCode }) };
}

/** Expectations of a request's or traffic's responses. */
export function responsesExpectation(ctx: CheckContext, value: ResponsesFile | undefined, path: Path): ResponsesExpectation | undefined {
  if (value === undefined) return undefined;
  const { status, statuses, version, served, share, tolerance, errors, failures, ...rest } = value;
  // Only a request keeps bodies; traffic's schema has no body or json.
  const { body, json, ...state } = rest as typeof rest & { body?: string; json?: unknown };
  if (version !== undefined) ctx.checkLabel(version, [...path, "version"]);
  for (const [name, label] of Object.entries(served ?? {})) ctx.checkLabel(label, [...path, "served", name]);
  ctx.objectRefKeys(served, [...path, "served"]);
  ctx.checkLabelKeys(share, [...path, "share"]);
  ctx.checkLabelKeys(errors, [...path, "errors"]);
  if (share !== undefined && tolerance === undefined) {
    ctx.report([...path, "share"], "a share needs a tolerance: add tolerance (in percentage points) beside it", "missing-key");
  }
  if (tolerance !== undefined && share === undefined) {
    ctx.report([...path, "tolerance"], "a tolerance applies to a share: add share beside it, or drop tolerance", "invalid-value", "key");
  }
  const failuresPath = [...path, "failures"];
  return {
    ...stateExpectation(ctx, state, path),
    ...(status !== undefined && { status }),
    ...(statuses !== undefined && { statuses: ctx.countMap(statuses, [...path, "statuses"])! }),
    ...(body !== undefined && { body }),
    ...(json !== undefined && { json }),
    ...(version !== undefined && { version }),
    ...(served !== undefined && { served }),
    ...(share !== undefined && { share }),
    ...(tolerance !== undefined && { tolerance }),
    ...(errors !== undefined && { errors: ctx.countMap(errors, [...path, "errors"])! }),
    ...(failures !== undefined && {
      failures: {
        ...(failures.resets !== undefined && { resets: ctx.count(failures.resets, [...failuresPath, "resets"]) }),
        ...(failures.other !== undefined && { other: ctx.count(failures.other, [...failuresPath, "other"]) }),
        ...(failures.lost !== undefined && { lost: ctx.count(failures.lost, [...failuresPath, "lost"]) }),
      },
    }),
  };
}
