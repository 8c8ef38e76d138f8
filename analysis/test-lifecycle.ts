/**
 * What the test frameworks people run (jest, vitest, mocha, jasmine, `node:test`, tap, Deno
 * std `@std/testing/bdd`) say about when a callback runs: which calls declare a test or a
 * suite, which register set-up and teardown hooks, which register a teardown from inside a
 * test, and which tests run concurrently.
 *
 * Recognition is by name, as the frameworks are used: `beforeEach(fn)`, `t.beforeEach(fn)`,
 * `it.only(name, fn)`, `test.concurrent.each(table)(name, fn)`, `Deno.test(name, fn)`.
 */
import type { TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '@typescript-eslint/utils';

import { skipTypeWrappers } from './ast-children.js';
import { staticPropertyName } from './global-output.js';

/** Hooks that run before the tests of their suite (or before each of them). */
const SETUP_HOOKS = new Set(['beforeEach', 'beforeAll', 'before', 'setup', 'suiteSetup']);
/** Hooks that run after the tests of their suite (or after each), whatever the tests did. */
const TEARDOWN_HOOKS = new Set(['afterEach', 'afterAll', 'after', 'teardown', 'suiteTeardown']);
/** Hooks that, called on a test context (`t.afterEach`), run after each of its subtests. */
const EACH_TEARDOWN_HOOKS = new Set(['afterEach', 'afterAll']);
/** Registrations made inside a running test whose callback runs when that test ends. */
const IN_TEST_TEARDOWNS = new Set([...TEARDOWN_HOOKS, 'onTestFinished', 'onTestFailed']);
const TEST_CASE_NAMES = new Set(['test', 'it', 'specify', 'bench']);
const SUITE_NAMES = new Set(['describe', 'suite', 'context']);
/** Members that modify a test or suite call without changing what it is (`it.only`, `test.each(t)`). */
const MODIFIERS = new Set([
  'only',
  'skip',
  'todo',
  'each',
  'concurrent',
  'sequential',
  'fails',
  'failing',
  'serial',
  'runIf',
  'skipIf',
  'for',
  'ignore',
]);

/** What a callback is to the test framework it is passed to. */
export type TestRole = 'setup' | 'teardown' | 'inTestTeardown' | 'test' | 'suite';

interface CalleeChain {
  /** The root identifier's name (`it` of `it.concurrent.each(t)`), `''` when not an identifier. */
  readonly root: string;
  /** The member names from the root outwards. */
  readonly members: readonly string[];
}

function calleeChain(call: TSESTree.CallExpression): CalleeChain {
  const members: string[] = [];
  let callee: TSESTree.Node = skipTypeWrappers(call.callee);
  for (;;) {
    if (callee.type === AST_NODE_TYPES.MemberExpression) {
      members.unshift(staticPropertyName(callee.property, callee.computed) ?? '');
      callee = skipTypeWrappers(callee.object);
    } else if (callee.type === AST_NODE_TYPES.CallExpression) {
      // `test.concurrent.each(table)(name, fn)`
      callee = skipTypeWrappers(callee.callee);
    } else {
      break;
    }
  }
  return { root: callee.type === AST_NODE_TYPES.Identifier ? callee.name : '', members };
}

/** The call a function literal is passed to as an argument, or `null`. */
export function callReceiving(fn: TSESTree.Node): TSESTree.CallExpression | null {
  const call = fn.parent;
  return call?.type === AST_NODE_TYPES.CallExpression && call.arguments.includes(fn as TSESTree.CallExpressionArgument)
    ? call
    : null;
}

/**
 * The role of a test-framework call: a hook by its last name (`beforeEach`, `t.afterEach`),
 * a test or suite by its root name with modifiers only (`it.only`), or by its last name on
 * another object (`t.test`, `Deno.test`).
 */
function roleOfCall(call: TSESTree.CallExpression, insideTest: () => boolean): TestRole | null {
  const { root, members } = calleeChain(call);
  const last = members.at(-1) ?? root;
  if (SETUP_HOOKS.has(last)) return 'setup';
  if (members.length > 0) {
    // `t.afterEach(fn)` is a hook of t's subtests; `t.after(fn)` / `t.teardown(fn)` run when t ends.
    if (EACH_TEARDOWN_HOOKS.has(last)) return 'teardown';
    if (IN_TEST_TEARDOWNS.has(last)) return 'inTestTeardown';
  } else if (IN_TEST_TEARDOWNS.has(last)) {
    // A bare `afterEach(fn)` inside a running test applies to that test.
    return TEARDOWN_HOOKS.has(last) && !insideTest() ? 'teardown' : 'inTestTeardown';
  }
  const onlyModifiers = members.every((member) => MODIFIERS.has(member));
  if (onlyModifiers && TEST_CASE_NAMES.has(root)) return 'test';
  if (onlyModifiers && SUITE_NAMES.has(root)) return 'suite';
  if (members.length > 0 && TEST_CASE_NAMES.has(last)) return 'test';
  if (members.length > 0 && SUITE_NAMES.has(last)) return 'suite';
  return null;
}

/** How the test framework runs `fn`, when `fn` is passed to one of its calls; else `null`. */
export function testRoleOf(fn: TSESTree.Node): TestRole | null {
  const call = callReceiving(fn);
  return call === null ? null : roleOfCall(call, () => isInsideTestBody(call));
}

/** True when `node` runs inside a test or a hook (directly or in a nested function). */
export function isInsideTestBody(node: TSESTree.Node): boolean {
  for (let current = node.parent; current; current = current.parent) {
    if (!isFunction(current)) continue;
    const call = callReceiving(current);
    if (call === null) continue;
    const role = roleOfCall(call, () => false);
    if (role !== null && role !== 'suite') return true;
  }
  return false;
}

/**
 * True when `node` runs in a test that other tests may run alongside: inside a call marked
 * `.concurrent` or given `{ concurrent: true }` (jest, vitest) or `{ concurrency: true | n > 1 }`
 * (`node:test`), or anywhere when `assumeConcurrent` (vitest `sequence.concurrent`) unless
 * the nearest marked call says `.sequential` / `{ concurrent: false }`.
 */
export function isInConcurrentTest(node: TSESTree.Node, assumeConcurrent = false): boolean {
  for (let current = node.parent; current; current = current.parent) {
    if (!isFunction(current)) continue;
    const call = callReceiving(current);
    if (call === null) continue;
    const marked = concurrencyMark(call);
    if (marked !== null) return marked;
  }
  return assumeConcurrent;
}

/** `true` / `false` when a test or suite call says whether it runs concurrently, else `null`. */
function concurrencyMark(call: TSESTree.CallExpression): boolean | null {
  const { root, members } = calleeChain(call);
  const isTestCall =
    TEST_CASE_NAMES.has(root) ||
    SUITE_NAMES.has(root) ||
    TEST_CASE_NAMES.has(members.at(-1) ?? '') ||
    SUITE_NAMES.has(members.at(-1) ?? '');
  if (!isTestCall) return null;
  if (members.includes('concurrent')) return true;
  if (members.includes('sequential')) return false;
  for (const argument of call.arguments) {
    if (argument.type !== AST_NODE_TYPES.ObjectExpression) continue;
    for (const property of argument.properties) {
      if (property.type !== AST_NODE_TYPES.Property || property.value.type !== AST_NODE_TYPES.Literal) continue;
      const key = staticPropertyName(property.key, property.computed);
      const value = property.value.value;
      if (key === 'concurrent' && typeof value === 'boolean') return value;
      if (key === 'sequential' && value === true) return false;
      if (key === 'concurrency') {
        if (typeof value === 'boolean') return value;
        if (typeof value === 'number') return value > 1;
      }
    }
  }
  return null;
}

function isFunction(node: TSESTree.Node): node is TSESTree.ArrowFunctionExpression | TSESTree.FunctionExpression {
  return node.type === AST_NODE_TYPES.ArrowFunctionExpression || node.type === AST_NODE_TYPES.FunctionExpression;
}
