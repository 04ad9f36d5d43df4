/**
 * Requests as a scenario writes them: a method, a path, headers and a body, where `{name}` stands
 * for the name of the object a request is for. Filled the same way for a request sent from Node
 * and for bulk traffic inside workerd, so both reach a Worker the same way whatever it routes by.
 */

/** The placeholder replaced by an object's name. */
export const NAME_PLACEHOLDER = "{name}";

/** A request body: text sent as it is, or a JSON value sent as JSON. */
export type TemplateBody = { readonly text: string } | { readonly json: unknown };

/** A request with `{name}` placeholders in its path, header values and body. */
export interface RequestTemplate {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: TemplateBody;
}

/** A filled request, ready to send. */
export interface FilledRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
}

/** The path with `{name}` replaced by the name, URL-encoded (it lands in a path or a query). */
export function fillPath(path: string, name: string | undefined): string {
  return name === undefined ? path : path.replaceAll(NAME_PLACEHOLDER, encodeURIComponent(name));
}

/** Header values with `{name}` replaced by the name as it is. */
export function fillHeaders(headers: Readonly<Record<string, string>>, name: string | undefined): Record<string, string> {
  if (name === undefined) return { ...headers };
  return Object.fromEntries(Object.entries(headers).map(([key, value]) => [key, value.replaceAll(NAME_PLACEHOLDER, name)]));
}

/** A JSON value with `{name}` replaced in every string in it (keys included). */
function fillJson(value: unknown, name: string): unknown {
  if (typeof value === "string") return value.replaceAll(NAME_PLACEHOLDER, name);
  if (Array.isArray(value)) return value.map((item) => fillJson(item, name));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key.replaceAll(NAME_PLACEHOLDER, name), fillJson(item, name)]));
  }
  return value;
}

/** The body as text: a string with `{name}` replaced, or JSON with the name inside its strings (escaped by JSON). */
export function fillBody(body: TemplateBody | undefined, name: string | undefined): string | undefined {
  if (body === undefined) return undefined;
  if ("text" in body) return name === undefined ? body.text : body.text.replaceAll(NAME_PLACEHOLDER, name);
  return JSON.stringify(name === undefined ? body.json : fillJson(body.json, name));
}

/** Whether a header of that name is among `headers` (header names ignore case). */
function hasHeader(headers: Readonly<Record<string, string>>, wanted: string): boolean {
  return Object.keys(headers).some((key) => key.toLowerCase() === wanted);
}

/** The template filled for the object `name` (or as written, for a request to no object). */
export function fillRequest(template: RequestTemplate, name?: string): FilledRequest {
  const headers = fillHeaders(template.headers, name);
  // A JSON body is announced as JSON, unless the scenario says otherwise.
  if (template.body !== undefined && "json" in template.body && !hasHeader(headers, "content-type")) headers["content-type"] = "application/json";
  const body = fillBody(template.body, name);
  return { method: template.method, path: fillPath(template.path, name), headers, ...(body !== undefined && { body }) };
}

/** Whether the template carries an object's name anywhere (path, a header value, the body). */
export function templateUsesName(template: RequestTemplate): boolean {
  const inBody = template.body === undefined ? false : "text" in template.body ? template.body.text.includes(NAME_PLACEHOLDER) : JSON.stringify(template.body.json).includes(NAME_PLACEHOLDER);
  return template.path.includes(NAME_PLACEHOLDER) || Object.values(template.headers).some((value) => value.includes(NAME_PLACEHOLDER)) || inBody;
}
