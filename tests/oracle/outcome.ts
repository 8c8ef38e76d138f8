// Normalising what a program returned or threw into JSON that compares across engines.

import type { NormalizedError } from './protocol.js';

function isObject(value: unknown): value is Record<PropertyKey, unknown> {
  return (typeof value === 'object' && value !== null) || typeof value === 'function';
}

/**
 * A SuppressedError from any source: native, the es-shims polyfill, or the fallback that
 * TypeScript's `__disposeResources` helper builds (`Error` with name `SuppressedError`).
 */
function isSuppressedError(value: unknown): value is { error: unknown; suppressed: unknown } {
  return isObject(value) && value['name'] === 'SuppressedError' && 'error' in value && 'suppressed' in value;
}

export function normalizeThrown(value: unknown, depth = 0): NormalizedError {
  if (depth > 50) return { thrownNonError: '<SuppressedError nested too deeply>' };
  if (isSuppressedError(value)) {
    return { error: normalizeThrown(value.error, depth + 1), suppressed: normalizeThrown(value.suppressed, depth + 1) };
  }
  if (value instanceof Error || (isObject(value) && typeof value['message'] === 'string' && typeof value['name'] === 'string')) {
    const { name, message } = value as { name: string; message: string };
    return name === 'Error' ? message : `${name}: ${message}`;
  }
  return { thrownNonError: describeValue(value) };
}

/** A readable, comparable description of a returned value. */
export function describeValue(value: unknown, depth = 0): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'symbol') return value.toString();
  if (typeof value === 'function') return `[function ${value.name}]`;
  if (!isObject(value)) return String(value);
  if (depth > 4) return '[…]';
  if (Array.isArray(value)) return `[${value.map((item) => describeValue(item, depth + 1)).join(', ')}]`;
  const constructorName = (value as { constructor?: { name?: unknown } }).constructor?.name;
  const prefix = typeof constructorName === 'string' && constructorName !== 'Object' ? `${constructorName} ` : '';
  const entries = Object.keys(value).map((key) => `${key}: ${describeValue(value[key], depth + 1)}`);
  return `${prefix}{${entries.join(', ')}}`;
}
