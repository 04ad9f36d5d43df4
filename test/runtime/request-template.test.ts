/**
 * Request templates: `{name}` filled by an object's name, URL-encoded in the path, as it is in
 * header values, inside a JSON body's strings (escaped by JSON), and a JSON body announced as JSON.
 */
import { describe, expect, it } from "vitest";
import { fillRequest, templateUsesName } from "../../src/runtime/workers/request-template.js";

describe("a request template", () => {
  it("URL-encodes the name in the path and query, and leaves it as it is in headers", () => {
    const filled = fillRequest({ method: "GET", path: "/rooms/{name}?as={name}", headers: { "x-room": "room {name}" } }, "a/b c");
    expect(filled).toEqual({ method: "GET", path: "/rooms/a%2Fb%20c?as=a%2Fb%20c", headers: { "x-room": "room a/b c" } });
  });

  it("sends a JSON body as JSON, with the name inside its strings and keys, escaped by JSON", () => {
    const filled = fillRequest({ method: "POST", path: "/", headers: {}, body: { json: { room: "{name}", list: ["x-{name}", 1, null], "{name}": true } } }, 'say "hi"');
    expect(filled.headers).toEqual({ "content-type": "application/json" });
    expect(JSON.parse(filled.body!)).toEqual({ room: 'say "hi"', list: ['x-say "hi"', 1, null], 'say "hi"': true });
  });

  it("keeps a content-type the scenario set, whatever its case, and sends text bodies as they are", () => {
    expect(fillRequest({ method: "POST", path: "/", headers: { "Content-Type": "text/plain" }, body: { json: [1] } }).headers).toEqual({ "Content-Type": "text/plain" });
    expect(fillRequest({ method: "PUT", path: "/", headers: {}, body: { text: "hello {name}" } }, "lobby")).toEqual({ method: "PUT", path: "/", headers: {}, body: "hello lobby" });
  });

  it("leaves a template without a name as written", () => {
    expect(fillRequest({ method: "GET", path: "/{name}", headers: {} })).toEqual({ method: "GET", path: "/{name}", headers: {} });
  });

  it("tells whether a template carries the name anywhere", () => {
    expect(templateUsesName({ method: "GET", path: "/", headers: {} })).toBe(false);
    expect(templateUsesName({ method: "GET", path: "/r/{name}", headers: {} })).toBe(true);
    expect(templateUsesName({ method: "GET", path: "/", headers: { x: "{name}" } })).toBe(true);
    expect(templateUsesName({ method: "POST", path: "/", headers: {}, body: { json: { deep: ["{name}"] } } })).toBe(true);
    expect(templateUsesName({ method: "POST", path: "/", headers: {}, body: { text: "{name}" } })).toBe(true);
  });
});
