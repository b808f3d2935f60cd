import { ConfigError } from './errors.ts';

export { ConfigError };

type Env = Readonly<Record<string, string | undefined>>;

export function requiredString(env: Env, name: string): string {
  const value = env[name];
  if (value === undefined || value.trim() === '') throw new ConfigError(`environment variable ${name} is required`);
  return value.trim();
}

export function optionalString(env: Env, name: string, fallback: string): string {
  const value = env[name];
  return value === undefined || value.trim() === '' ? fallback : value.trim();
}

export function numberVar(
  env: Env,
  name: string,
  fallback: number,
  check: { min?: number; max?: number; integer?: boolean } = {},
): number {
  const text = env[name];
  if (text === undefined || text.trim() === '') return fallback;
  const value = Number(text);
  const bad =
    !Number.isFinite(value) ||
    (check.integer === true && !Number.isInteger(value)) ||
    (check.min !== undefined && value < check.min) ||
    (check.max !== undefined && value > check.max);
  if (bad) {
    const range = `${check.integer === true ? 'an integer' : 'a number'}${check.min !== undefined ? ` >= ${check.min}` : ''}${check.max !== undefined ? ` <= ${check.max}` : ''}`;
    throw new ConfigError(`environment variable ${name} must be ${range}, got '${text}'`);
  }
  return value;
}

export function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const value = optionalString(env, name, fallback);
  if (!(allowed as readonly string[]).includes(value))
    throw new ConfigError(`environment variable ${name} must be one of ${allowed.join(', ')}, got '${value}'`);
  return value as T;
}

export function listVar(env: Env, name: string): string[] {
  return optionalString(env, name, '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
