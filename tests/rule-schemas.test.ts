/**
 * Each rule's option schema and defaults, snapshotted (as typescript-eslint does), so that a
 * change to what users may write in their config is a visible diff in review.
 */
import { describe, expect, it } from 'vitest';

import plugin from '../index.js';

describe.each(Object.entries(plugin.rules))('ctx/%s', (_name, rule) => {
  it('has a stable option schema and defaults', () => {
    const meta = rule.meta as { schema?: unknown; defaultOptions?: unknown };
    expect({ schema: meta.schema, defaultOptions: meta.defaultOptions }).toMatchSnapshot();
  });
});
