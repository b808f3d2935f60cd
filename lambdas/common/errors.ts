/** A Lambda's configuration is wrong; the message names the variable and the bad value. */
export class ConfigError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConfigError';
  }
}

/** Network error codes of Node's sockets and DNS: the endpoint did not answer. */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);
/** Error names the SDK's HTTP handler gives a request it gave up on. */
const GAVE_UP_NAMES = new Set(['TimeoutError', 'RequestTimeout', 'AbortError']);

/**
 * An AWS service answered with an error status, or did not answer at all: a reason to say
 * "try again" (503), not a bug. Decided by the error's type and code, never its message; the
 * cause chain is followed, since the SDK wraps socket errors.
 */
export function isServiceUnavailable(error: unknown): boolean {
  for (
    let e: unknown = error, depth = 0;
    e instanceof Object && depth < 5;
    e = (e as { cause?: unknown }).cause, depth++
  ) {
    const { $metadata, code, name } = e as { $metadata?: { httpStatusCode?: number }; code?: unknown; name?: unknown };
    if ($metadata?.httpStatusCode !== undefined) return true;
    if (typeof code === 'string' && UNREACHABLE_CODES.has(code)) return true;
    if (typeof name === 'string' && GAVE_UP_NAMES.has(name)) return true;
  }
  return false;
}
