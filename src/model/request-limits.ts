/**
 * Limits Cloudflare puts on a request before it reaches a Worker. Source: Cloudflare Workers
 * "Limits" page, "Request limits": a request body may be at most 100 MB on the Free and Pro plans
 * (more on Business and Enterprise); a larger one is answered 413 without running the Worker.
 */

/** The largest request body the platform passes to a Worker on the Free and Pro plans (100 MB). */
export const MAX_REQUEST_BODY_BYTES = 100 * 1024 * 1024;
