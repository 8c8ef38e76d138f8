import tsParser from '@typescript-eslint/parser';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { Linter } from 'eslint';
import { describe, expect, it } from 'vitest';

import type { ReachStep } from '../../analysis/call-graph.js';
import { CallGraph, getCallGraph, NamedCallSites } from '../../analysis/call-graph.js';
import { isUnnamedLiteral } from '../../analysis/global-output.js';

/** Parse `code` with ESLint (scope manager included) and hand its SourceCode to `inspect`. */
function withSourceCode<T>(code: string, inspect: (sourceCode: Readonly<TSESLint.SourceCode>) => T): T {
  const linter = new Linter({ configType: 'flat' });
  let result: T | undefined;
  const probe = {
    create(context: { sourceCode: unknown }) {
      return {
        'Program:exit'() {
          result = inspect(context.sourceCode as Readonly<TSESLint.SourceCode>);
        },
      };
    },
  };
  const messages = linter.verify(
    code,
    [
      {
        files: ['**/*.ts'],
        languageOptions: { parser: tsParser as Linter.Parser },
        plugins: { probe: { rules: { probe: probe as never } } },
        rules: { 'probe/probe': 'error' },
      },
    ],
    'file.ts',
  );
  expect(messages.filter((message) => message.fatal)).toEqual([]);
  if (result === undefined) throw new Error('the probe rule did not run');
  return result;
}

const callNamed = (calls: readonly TSESTree.CallExpression[], sourceCode: Readonly<TSESLint.SourceCode>, text: string): TSESTree.CallExpression => {
  const call = calls.find((candidate) => sourceCode.getText(candidate) === text);
  if (!call) throw new Error(`no call ${text}`);
  return call;
};

const code = `
function reset(target) { restore(target); }
function restore(what) { what.done = true; }
const helper = () => reset(process.stdout);
class Box {
  run() { return this.step(this.box); }
  step(value) { return value; }
}
const api = { go() { helper(); } };
api.go();
[1, 2].map((n) => reset(n));
(function iife() { helper(); })();
reset.call(null, console);
`;

/** Every call of `source` as `callee → the function the graph says it runs` (`-` for none). */
const calleesOf = (source: string): string[] =>
  withSourceCode(source, (sourceCode) => {
    const graph = getCallGraph(sourceCode);
    return graph.calls.map((call) => {
      const target = graph.calleeOf(call);
      return `${sourceCode.getText(call.callee)} → ${target ? graph.functionName(target) : '-'}`;
    });
  });

describe('analysis/call-graph', () => {
  it('resolves in-file calls: declarations, const arrows, methods through this, object-literal methods, IIFEs, .call', () => {
    const names = calleesOf(code);
    expect(names).toEqual([
      'restore → restore',
      'reset → reset',
      'this.step → step',
      'helper → helper',
      'api.go → go',
      '[1, 2].map → -',
      'reset → reset',
      'function iife() { helper(); } → iife',
      'helper → helper',
      'reset.call → reset',
    ]);
  });

  it('resolves a member call only through a member name some function is registered under, quoted names with dots included', () => {
    const dotted = `
class Box {
  'a.b'() { return 1; }
  c() { return 2; }
  run() { return [this['a.b'](), this.a.b(), this.c(), this.d(), this.c.call(this), other.c()]; }
}
const api = { 'x.y'() {}, z() {} };
api['x.y'](); api.y(); api.z(); api.w();
`;
    const names = calleesOf(dotted);
    // `this.a.b` has the key of the method quoted `'a.b'` (`c<n>.a.b`): the name tail `b` is registered too.
    expect(names).toEqual([
      "this['a.b'] → a.b",
      'this.a.b → a.b',
      'this.c → c',
      'this.d → -',
      'this.c.call → c',
      'other.c → -',
      "api['x.y'] → x.y",
      'api.y → -',
      'api.z → z',
      'api.w → -',
    ]);
  });

  it('answers the reverse question: the calls that run a function', () => {
    const callers = withSourceCode(code, (sourceCode) => {
      const graph = getCallGraph(sourceCode);
      const reset = graph.functions.find((fn) => graph.functionName(fn) === 'reset');
      if (!reset) throw new Error('no reset');
      return graph.callersOf(reset).map((call) => sourceCode.getText(call));
    });
    expect(callers).toEqual(['reset(process.stdout)', 'reset(n)', 'reset.call(null, console)']);
  });

  it('binds parameters to the arguments, through chains and .call', () => {
    const bound = withSourceCode(code, (sourceCode) => {
      const graph = getCallGraph(sourceCode);
      const steps: string[] = [];
      graph.reach(callNamed(graph.calls, sourceCode, 'helper()'), (step: ReachStep) => {
        const values = [...step.bindings.instances.values()].map((ref) => ref.label);
        steps.push(`${step.chain.join(' → ')} (${values.join(', ')})`);
        return 'continue';
      }, { maxDepth: 8 });
      const viaCall = graph.argumentBindings(
        graph.calleeOf(callNamed(graph.calls, sourceCode, 'reset.call(null, console)')) as never,
        callNamed(graph.calls, sourceCode, 'reset.call(null, console)'),
      );
      steps.push([...viaCall.instances.values()].map((ref) => ref.key).join(','));
      return steps;
    });
    expect(bound).toEqual(['helper ()', 'helper → reset (process.stdout)', 'helper → reset → restore (process.stdout)', 'g:console']);
  });

  it('stops at cycles and at maxDepth, and lets the visitor stop or prune', () => {
    const cyclic = `
function a() { b(); }
function b() { c(); a(); }
function c() { d(); }
function d() {}
a();`;
    const [all, shallow, pruned] = withSourceCode(cyclic, (sourceCode) => {
      const graph = getCallGraph(sourceCode);
      const start = callNamed(graph.calls, sourceCode, 'a()');
      const collect = (maxDepth: number, verdict: (step: ReachStep) => 'stop' | 'skip' | 'continue'): string[] => {
        const seen: string[] = [];
        graph.reach(start, (step) => {
          seen.push(step.chain.join('>'));
          return verdict(step);
        }, { maxDepth });
        return seen;
      };
      return [
        collect(8, () => 'continue'),
        collect(2, () => 'continue'),
        collect(8, (step) => (step.fn === graph.functions.find((fn) => graph.functionName(fn) === 'c') ? 'skip' : 'continue')),
      ];
    });
    expect(all).toEqual(['a', 'a>b', 'a>b>c', 'a>b>c>d']);
    expect(shallow).toEqual(['a', 'a>b']);
    expect(pruned).toEqual(['a', 'a>b', 'a>b>c']);
  });

  it('follows only the calls `follow` accepts (e.g. the awaited ones)', () => {
    const source = `
async function a() { await b(); c(); }
async function b() {}
async function c() {}
a();`;
    const seen = withSourceCode(source, (sourceCode) => {
      const graph = getCallGraph(sourceCode);
      const names: string[] = [];
      graph.reach(callNamed(graph.calls, sourceCode, 'a()'), (step) => {
        names.push(step.chain.join('>'));
        return 'continue';
      }, { maxDepth: 8, follow: (call) => call.parent.type === 'AwaitExpression' });
      return names;
    });
    expect(seen).toEqual(['a', 'a>b']);
  });

  it('knows the enclosing function of any node', () => {
    const owners = withSourceCode(code, (sourceCode) => {
      const graph = getCallGraph(sourceCode);
      const call = callNamed(graph.calls, sourceCode, 'restore(target)');
      const argument = call.arguments[0] as TSESTree.Node;
      return [graph.functionName(graph.enclosingFunction(call)), graph.functionName(graph.enclosingFunction(argument)), graph.functionName(graph.enclosingFunction(sourceCode.ast.body[0] as TSESTree.Node))];
    });
    expect(owners).toEqual(['reset', 'reset', '(module)']);
  });

  it('is built once per file', () => {
    const same = withSourceCode(code, (sourceCode) => getCallGraph(sourceCode) === getCallGraph(sourceCode));
    expect(same).toBe(true);
  });
});

describe('isUnnamedLiteral', () => {
  // The output rule answers "who calls this function?" without building the graph for a
  // function literal written as an argument or assigned to a member: the graph must agree
  // that nothing calls one.
  it('marks only functions no call reaches: literals written as arguments or assigned to members', () => {
    const code = [
      'function named(s) { s.write = w; }',
      'const arrow = (x) => x;',
      'class C { m() { this.n(); } n() {} }',
      'test("t", () => { named(process.stdout); arrow(1); });',
      'new Promise((resolve) => resolve(1));',
      'items.forEach(function each(item) { use(item); });',
      '(function iife() {})();',
      '(() => {})();',
      'run(function passed() {});',
      'run(arrow);',
      'console.info = function stub() { console.info = saved; };',
      'console.info();',
      'let late; late = () => 1; late();',
    ].join('\n');
    const rows = withSourceCode(code, (sourceCode) => {
      const graph = getCallGraph(sourceCode);
      return graph.functions.map((fn) => ({
        name: graph.functionName(fn),
        literalArgument: isUnnamedLiteral(fn),
        called: graph.callersOf(fn).length > 0,
      }));
    });
    expect(rows.filter((row) => row.literalArgument).length).toBe(5);
    for (const row of rows) if (row.literalArgument) expect(row).toMatchObject({ called: false });
    expect(rows.filter((row) => !row.literalArgument && row.called).length).toBeGreaterThanOrEqual(4);
  });
});

// Nodes the recursive walk never enters: type-only keys and declarations, leaf children
// (a parameter's decorators), alongside everything it does collect.
const tricky = `
declare function declared(a: number): void;
interface Shape { area(): number; make: () => Shape }
type Maker = (size: number) => Shape;
function outer<T extends object = {}>(value: T, ...rest: Array<() => void>): Promise<T> {
  const inner = (x: number): number => helper(x) + rest.length;
  let later: Maker | undefined;
  later = (size) => ({ area: () => size, make: () => later!(size) });
  return Promise.resolve(inner(1) as unknown as T);
}
function helper(x: number) { return [x].map((y) => y * 2).reduce((a, b) => a + b, 0); }
class Service implements Shape {
  private readonly stack = new DisposableStack();
  constructor(private readonly store: Map<string, number>, @Inject(token()) other: unknown) { void other; }
  area(): number { return this.helperMethod(() => this.store.size); }
  make = (): Shape => new Service(new Map(), null);
  helperMethod(cb: () => number) { return cb(); }
  @decorate(config()) decorated() { return outer({}); }
}
enum E { A = compute(), B }
namespace N { export const v = (() => helper(2))(); }
const value = outer({ a: 1 }) satisfies Promise<{ a: number }>;
function typed(): { [key()]: number } { return {} as { [other()]: number }; }
export { value, declared, Service, E, N, typed };
`;

describe('collection from the traversal steps', () => {

  it('collects the same calls, functions and indexed nodes as the recursive walk, in the same order', () => {
    withSourceCode(tricky, (sourceCode) => {
      const fromSteps = new CallGraph(sourceCode);
      const fromWalk = new CallGraph(sourceCode, 'walk');
      const texts = (nodes: readonly TSESTree.Node[]): string[] => nodes.map((node) => `${node.range[0]}:${sourceCode.getText(node).slice(0, 30)}`);
      expect(fromSteps.calls.length).toBeGreaterThan(10);
      expect(texts(fromSteps.calls)).toEqual(texts(fromWalk.calls));
      expect(texts(fromSteps.functions)).toEqual(texts(fromWalk.functions));
      for (const type of ['VariableDeclarator', 'VariableDeclaration', 'AssignmentExpression', 'PropertyDefinition', 'TSParameterProperty', 'ClassDeclaration'] as const) {
        expect(texts(fromSteps.nodesOfType(type as never))).toEqual(texts(fromWalk.nodesOfType(type as never)));
      }
      for (const call of fromSteps.calls) {
        expect(fromSteps.enclosingFunction(call)).toBe(fromWalk.enclosingFunction(call));
        expect(fromSteps.functionName(fromSteps.enclosingFunction(call))).toBe(fromWalk.functionName(fromWalk.enclosingFunction(call)));
      }
      // The parameter decorator's calls are not collected by either (the walk does not enter identifiers).
      expect(texts(fromSteps.calls).some((text) => text.includes('token()'))).toBe(false);
      return true;
    });
  });
});

describe('calls by name, without the graph', () => {
  const named = `
function reset(target?: unknown) { restore(target); }
function restore(what: unknown) { void what; }
const arrow = (x: number) => x;
const alias = reset;
const twice = alias!;
let late = () => 1;
var old = function () { return 2; };
function dup() {}
function dup() {}
function outer(cb: () => void) { cb(); }
class Box {
  run = () => this.step();
  step() { return arrow(1); }
  constructor(@Inject(arrow(2)) other: unknown) { void other; }
}
const api = { go() { reset(); } };
async function main() {
  reset(); alias(); twice(); await reset(); reset?.(); (reset as () => void)(); reset!();
  (reset satisfies () => void)(); (<() => void>reset)();
  reset.call(null, 1); alias.call(undefined); arrow.call(null);
  outer(reset); outer(alias); outer(arrow); outer(outer(reset) as never, reset);
  late(); old(); dup(); api.go(); new Box().run();
  const run = new Box().step; run();
  [1].map(arrow).forEach(reset);
  (function iife() { reset(); })();
  (() => arrow(3))();
  const typed: { [k in ReturnType<typeof arrow>]: number } = {};
  void typed;
  { const reset = () => 0; reset(); }
}
export { main };
`;

  it.each([
    ['the resolution sample', code],
    ['the walk sample', tricky],
    ['names, aliases, wrappers and shadowing', named],
  ])('gives the graph’s answers where it answers (%s)', (_name, source) => {
    const answered = withSourceCode(source, (sourceCode) => {
      const graph = new CallGraph(sourceCode);
      const sites = new NamedCallSites(sourceCode);
      const passesByGraph = new Map<TSESTree.Node, TSESTree.Node[]>();
      for (const call of graph.calls) {
        for (const argument of call.arguments) {
          if (argument.type !== 'Identifier' && argument.type !== 'MemberExpression') continue;
          const passed = graph.functionAt(argument);
          if (passed) passesByGraph.set(passed, [...(passesByGraph.get(passed) ?? []), argument]);
        }
      }
      let count = 0;
      for (const fn of graph.functions) {
        const callers = sites.callersOf(fn);
        if (callers !== undefined) {
          expect(callers).toEqual(graph.callersOf(fn));
          count++;
        }
        const passes = sites.passesOf(fn);
        if (passes !== undefined) expect(passes).toEqual(passesByGraph.get(fn) ?? []);
      }
      for (const call of graph.calls) {
        const callee = sites.calleeOf(call);
        if (callee !== null) {
          expect(callee, sourceCode.getText(call)).toBe(graph.calleeOf(call));
          count++;
        }
      }
      return count;
    });
    expect(answered).toBeGreaterThan(8);
  });

  it('answers for names and defers members, several declarations and down-levelled private methods', () => {
    const answers = withSourceCode(named, (sourceCode) => {
      const graph = new CallGraph(sourceCode);
      const sites = new NamedCallSites(sourceCode);
      const byName = (name: string) => graph.functions.find((fn) => graph.functionName(fn) === name) as never;
      return {
        reset: sites.callersOf(byName('reset'))?.map((call) => sourceCode.getText(call)),
        resetPasses: sites.passesOf(byName('reset'))?.length,
        dup: sites.callersOf(byName('dup')) ?? 'deferred',
        step: sites.callersOf(byName('step')) ?? 'deferred',
        goCall: sites.calleeOf(graph.calls.find((call) => sourceCode.getText(call) === 'api.go()') as never),
      };
    });
    const compiled = withSourceCode('function f() {}\nf(); // __classPrivateFieldGet', (sourceCode) => new NamedCallSites(sourceCode).callersOf(new CallGraph(sourceCode).functions[0] as never) ?? 'deferred');
    expect(answers).toEqual({
      reset: [
        'reset()',
        'reset()',
        'alias()',
        'twice()',
        'reset()',
        'reset?.()',
        '(reset as () => void)()',
        'reset!()',
        '(reset satisfies () => void)()',
        '(<() => void>reset)()',
        'reset.call(null, 1)',
        'alias.call(undefined)',
        'reset()',
      ],
      resetPasses: 5,
      dup: 'deferred',
      step: 'deferred',
      goCall: null,
    });
    expect(compiled).toBe('deferred');
  });
});
