/**
 * The platform's numeric limits, in one place. Each is a setting so a scenario can mirror an older
 * or a future platform (the deployable window was 10 in older docs, 100 today).
 */
export interface Limits {
  /** How many versions one deployment may list. */
  readonly maxVersionsPerDeployment: number;
  /** Only the newest N uploaded versions can be deployed or rolled back to. */
  readonly deployableVersionWindow: number;
  /** `workers/tag` may hold at most this many UTF-8 bytes. */
  readonly maxTagBytes: number;
  /** `workers/message` is truncated to this many UTF-8 bytes. */
  readonly maxMessageBytes: number;
  /** How far the percentages may stray from 100 (wrangler's own slack). */
  readonly percentageSumTolerance: number;
  /**
   * How many decimals a percentage may carry, when set. Neither wrangler nor the API schema limits
   * the decimals (see ./percentage.ts), so by default there is no limit; a scenario may set one.
   */
  readonly percentageDecimals?: number;
  /** `deployments list` shows this many of the newest deployments. */
  readonly deploymentsListed: number;
  /** `versions list` (and `versions deploy`'s prompt) shows this many of the newest deployable versions, as wrangler does. */
  readonly versionsListed: number;
  /** Default and ceiling of the `deferred` code-update delay. */
  readonly defaultDeferredDelayMs: number;
  readonly maxDeferredDelayMs: number;
}

/** The limits as Cloudflare documents them today. */
export const DEFAULT_LIMITS: Limits = Object.freeze({
  maxVersionsPerDeployment: 2,
  deployableVersionWindow: 100,
  maxTagBytes: 100,
  maxMessageBytes: 1000,
  percentageSumTolerance: 0.001,
  deploymentsListed: 10,
  versionsListed: 10,
  defaultDeferredDelayMs: 300_000,
  maxDeferredDelayMs: 86_400_000,
});

/** Returns the default limits with some of them replaced. */
export function withLimits(overrides: Partial<Limits> = {}): Limits {
  return Object.freeze({ ...DEFAULT_LIMITS, ...overrides });
}
