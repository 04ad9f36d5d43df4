/**
 * The loader's checks of requests and object references: `{name}` needs an object and an object
 * needs `{name}`, a GET has no body, traffic to objects must carry their name, and every object
 * reference is kept with the place it was written (for the check against the Worker's classes).
 */
import { describe, expect, it } from "vitest";
import { HEAD, issuesOf, loadValid, where } from "./load-helpers.js";

describe("scenario loader: requests fit any Worker", () => {
  it("reads method, path, headers and a JSON or text body, for requests and traffic", () => {
    const scenario = loadValid([
      ...HEAD,
      "  - deploy: A",
      "  - request: /rooms/{name}",
      "    object: Room:lobby",
      "    method: POST",
      "    headers: { x-room: '{name}' }",
      "    body: { note: hi }",
      "  - traffic: 10",
      "    objects: [a, b]",
      "    path: /r/{name}",
      "    method: PUT",
      "    body: text {name}",
      "  - traffic: 10",
      "    objects: [a]",
    ]);
    const [, request, traffic, plain] = scenario.steps;
    expect(request).toMatchObject({ request: { path: "/rooms/{name}", object: "Room:lobby", method: "POST", headers: { "x-room": "{name}" }, body: { json: { note: "hi" } } } });
    expect(traffic).toMatchObject({ path: "/r/{name}", method: "PUT", headers: {}, body: { text: "text {name}" }, objects: ["a", "b"] });
    expect(plain).toMatchObject({ path: "/objects/{name}", method: "GET" });
    expect(scenario.objectRefs.map(({ ref, at }) => ({ ref, ...at }))).toEqual([
      { ref: "Room:lobby", line: 8, column: 13, path: "steps[1].object" },
      { ref: "a", line: 13, column: 15, path: "steps[2].objects[0]" },
      { ref: "b", line: 13, column: 18, path: "steps[2].objects[1]" },
      { ref: "a", line: 18, column: 15, path: "steps[3].objects[0]" },
    ]);
  });

  it("keeps every object reference of expectations, idle and the declared objects, at its key or item", () => {
    const scenario = loadValid([
      "name: inline", // 1
      "objects: [foo, User:ada]", // 2
      "versions: { A: {} }", // 3
      "steps:", // 4
      "  - deploy: A", // 5
      "    expect: { objects: { USERS:bob: A }, running: { foo: A }, live: [foo], resets: { perObject: { User:ada: 0 } } }", // 6
      "  - request: /", // 7
      "    expect: { served: { Room:foo: A } }", // 8
      "  - idle: [foo]", // 9
    ]);
    expect(scenario.objectRefs.map(({ ref, at }) => `${ref}@${at.line}:${at.column} ${at.path}`)).toEqual([
      "foo@2:11 objects[0]",
      "User:ada@2:16 objects[1]",
      'USERS:bob@6:26 steps[0].expect.objects["USERS:bob"]',
      "foo@6:53 steps[0].expect.running.foo",
      "foo@6:70 steps[0].expect.live[0]",
      'User:ada@6:99 steps[0].expect.resets.perObject["User:ada"]',
      'Room:foo@8:25 steps[1].expect.served["Room:foo"]',
      "foo@9:12 steps[2].idle[0]",
    ]);
  });

  it("refuses {name} without an object, an object without {name}, a body on GET, and traffic to objects without their name", () => {
    const issues = issuesOf([
      ...HEAD,
      "  - deploy: A", //                          6
      "  - request: /rooms/{name}", //             7
      "  - request: /rooms", //                    8
      "    object: lobby", //                      9
      "  - request: /", //                         10
      "    body: hello", //                        11
      "  - traffic: 5", //                         12
      "    objects: [a]", //                       13
      "    path: /rooms", //                       14
      "  - traffic: 5", //                         15
      "    path: /{name}", //                      16
    ]);
    expect(where(issues)).toEqual([
      { line: 7, column: 14, path: "steps[1].request", code: "missing-key" },
      { line: 9, column: 5, path: "steps[2].object", code: "invalid-value" },
      { line: 11, column: 5, path: "steps[3].body", code: "invalid-value" },
      { line: 14, column: 11, path: "steps[4].path", code: "invalid-value" },
      { line: 15, column: 5, path: "steps[5].traffic", code: "missing-key" },
    ]);
  });
});
