/**
 * `createRule` hands a rule ESLint's merged options as they are, and merges the defaults itself
 * only when ESLint has not (an option object that lacks a default key).
 */
import { Linter } from 'eslint';
import { describe, expect, it } from 'vitest';

import { createRule } from '../lib/create-rule.js';

interface Options {
  depth?: number;
  names?: string[];
}

/** A rule that records the options its `create` receives. */
function recordingRule(seen: Array<readonly [Options]>) {
  return createRule<[Options], 'seen'>({
    name: 'recording',
    meta: {
      type: 'problem',
      docs: { description: 'records its options' },
      schema: [{ type: 'object', additionalProperties: false, properties: { depth: { type: 'integer' }, names: { type: 'array', items: { type: 'string' } } } }],
      defaultOptions: [{ depth: 8, names: [] }],
      messages: { seen: 'seen' },
    },
    defaultOptions: [{ depth: 8, names: [] }],
    create(context, options) {
      seen.push(options);
      expect(options).not.toBe(undefined);
      return {};
    },
  });
}

function lintWith(ruleConfig: Linter.RuleEntry): { seen: Array<readonly [Options]>; rule: ReturnType<typeof recordingRule> } {
  const seen: Array<readonly [Options]> = [];
  const rule = recordingRule(seen);
  const linter = new Linter({ configType: 'flat' });
  linter.verify('let a = 1;', [{ plugins: { t: { rules: { recording: rule as never } } }, rules: { 't/recording': ruleConfig } }]);
  return { seen, rule };
}

describe('createRule options', () => {
  it('passes ESLint’s merged options through without copying them', () => {
    const { seen, rule } = lintWith('error');
    expect(seen).toEqual([[{ depth: 8, names: [] }]]);
    // ESLint hands over the object of `meta.defaultOptions` when no option is given: no clone was made.
    expect(seen[0]?.[0]).toBe(rule.meta.defaultOptions?.[0]);
  });

  it('gives the user’s options merged over the defaults', () => {
    const { seen } = lintWith(['error', { names: ['x'] }]);
    expect(seen).toEqual([[{ depth: 8, names: ['x'] }]]);
  });

  it('merges the defaults itself when a default key is missing (ESLint did not merge)', () => {
    const seen: Array<readonly [Options]> = [];
    const rule = recordingRule(seen);
    const context = { options: [{ names: ['y'] }] } as unknown as Parameters<typeof rule.create>[0];
    rule.create(context);
    expect(seen).toEqual([[{ depth: 8, names: ['y'] }]]);
    // The given options are left as they were.
    expect(context.options).toEqual([{ names: ['y'] }]);
  });

  it('fills a missing option from the defaults', () => {
    const seen: Array<readonly [Options]> = [];
    const rule = recordingRule(seen);
    rule.create({ options: [] } as unknown as Parameters<typeof rule.create>[0]);
    expect(seen).toEqual([[{ depth: 8, names: [] }]]);
  });
});
