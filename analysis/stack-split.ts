import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '@typescript-eslint/utils';

import type { Acquisition, FileAnalysis } from './held-sections.js';
import { isPathExpression, unwrapExpression } from './held-sections.js';
import type { FunctionNode } from './instance-identity.js';
import { isFunctionNode, memberName } from './instance-identity.js';
import type { Reacquisition } from './reacquisitions.js';
import { isNode } from './ast-children.js';

/**
 * The fix `split-nested-stacks` applies and `no-nested-reuse` suggests for a stack bound with
 * `using` while something else still holds it: the inner `using` gets a stack of its own, and the
 * registrations the inner scope makes on the shared stack move to it. One planner per file
 * analysis; the rule and the codemod ask it the same question about the same findings, so a
 * suggestion is the codemod's edit for that site.
 */

export type StackSplitRefusalReason =
  | 'escapes'
  | 'passed-to-unknown-code'
  | 'ambiguous-scope'
  | 'outer-not-disposed'
  | 'caller-relies-on-callee'
  | 'registration-order'
  | 'catches-per-cleanup'
  | 'unrecognised-run';

export const stackSplitRefusalReasons: Readonly<Record<StackSplitRefusalReason, string>> = {
  escapes:
    'the stack leaves the inner scope (returned, stored, moved) or its function is reachable from code outside this file, or the cleanup list is returned, stored, reassigned or read other than by `push` and its run: a new stack there would not be the one the other code expects',
  'passed-to-unknown-code':
    'the shared stack or the cleanup list is passed to other code while held: which registrations belong to which scope cannot be told',
  'ambiguous-scope':
    'registrations on the shared stack or list are made from a callback that may run later, outside the try its finally runs, or where no one scope can own them (the inner scope disposes or inspects the stack, the stack is disposed through a chain of calls, a list run by several finally blocks without being emptied): the scope of those registrations is ambiguous',
  'outer-not-disposed':
    'no `using` holds the shared stack around this one: after the split its outer registrations could be left undisposed',
  'caller-relies-on-callee':
    'a caller passes a stack it does not hold with `using`: it relies on this `using` to run its registrations',
  'registration-order':
    'the cleanup list is run in registration order (`forEach`, a forward loop, `for…of` without `reverse()`) and holds more than one cleanup: a stack would run them in reverse',
  'catches-per-cleanup':
    "the run catches each cleanup's error (`try { c() } catch {}`, `.catch()`): a stack runs the rest too but throws a SuppressedError instead of swallowing them",
  'unrecognised-run':
    'the finally does not start by calling the cleanups one after another in a way the codemod knows (all at once, with arguments, after other work, a pushed value that is not a function where the run calls it with the list as `this`), or a comment sits in text the rewrite would remove',
};

/** One replacement in the file's text: the rule turns it into a fixer call, the codemod splices it. */
export interface TextEdit {
  readonly range: readonly [number, number];
  readonly text: string;
}

export type StackSplitPlan =
  | { readonly fixable: true; readonly site: TSESTree.VariableDeclarator; readonly edits: readonly TextEdit[] }
  | { readonly fixable: false; readonly site: TSESTree.Node; readonly reason: StackSplitRefusalReason };

/** Methods that register a cleanup on a stack: they are what moves to the inner stack. */
const REGISTRATION_METHODS = new Set(['use', 'adopt', 'defer']);
const STACK_CLASSES = new Set(['DisposableStack', 'AsyncDisposableStack']);

class Refusal extends Error {
  constructor(readonly reason: StackSplitRefusalReason) {
    super(reason);
  }
}

export class StackSplitPlanner {
  readonly #analysis: FileAnalysis;
  readonly #plans = new Map<TSESTree.Node, StackSplitPlan | undefined>();

  constructor(analysis: FileAnalysis) {
    this.#analysis = analysis;
  }

  /**
   * The split for a finding of `no-nested-reuse`, or undefined when the finding is not about a
   * stack (locks have no mechanical fix; a plain disposable bound twice is not a stack).
   */
  planFor(found: Reacquisition): StackSplitPlan | undefined {
    switch (found.kind) {
      case 'nested':
      case 'viaCall':
        return found.inner.form === 'using' && found.inner.effect === 'dispose' ? this.#planForSite(found.inner) : undefined;
      case 'usingInLoop':
        return this.#planForSite(found.inner);
      case 'calleeDisposesArgument': {
        if (found.chain.length !== 1) {
          const passesStack = found.node.arguments.some((argument) => this.#analysis.isStack(unwrapExpression(argument)));
          return passesStack ? { fixable: false, site: found.node, reason: 'ambiguous-scope' } : undefined;
        }
        const target = this.#analysis.graph.calleeOf(found.node);
        const sites = target ? this.#parameterUsings(target) : [];
        const site = sites[0];
        if (!site || !this.#isStackBinding(site)) return undefined;
        if (sites.length !== 1) return { fixable: false, site: site.node, reason: 'ambiguous-scope' };
        return this.#planForSite(site);
      }
    }
  }

  /** `using x = param` declarators of `fn` that bind one of its own parameters. */
  #parameterUsings(fn: FunctionNode): Acquisition[] {
    return this.#analysis
      .acquisitionsRunBy(fn)
      .filter((acquisition) => acquisition.form === 'using' && this.#analysis.resolver.parameterRoot(acquisition.instance.root)?.fn === fn);
  }

  /** Only the built-in stacks: the class of the new stack must be known (a user kind's is not). */
  #isStackBinding(site: Acquisition): boolean {
    const init = boundPath(site.node);
    if (init === undefined || !this.#analysis.isStack(init)) return false;
    const kind = this.#analysis.kinds.kindOfExpression(init);
    return kind?.builtIn === true && STACK_CLASSES.has(kind.name);
  }

  #planForSite(site: Acquisition): StackSplitPlan | undefined {
    if (this.#plans.has(site.node)) return this.#plans.get(site.node);
    let plan: StackSplitPlan | undefined;
    if (this.#isStackBinding(site)) {
      try {
        plan = { fixable: true, site: site.node as TSESTree.VariableDeclarator, edits: this.#edits(site) };
      } catch (error) {
        if (!(error instanceof Refusal)) throw error;
        plan = { fixable: false, site: site.node, reason: error.reason };
      }
    }
    this.#plans.set(site.node, plan);
    return plan;
  }

  #edits(site: Acquisition): TextEdit[] {
    const analysis = this.#analysis;
    const declarator = site.node as TSESTree.VariableDeclarator;
    const init = boundPath(declarator);
    if (!init || !declarator.init || declarator.id.type !== AST_NODE_TYPES.Identifier) throw new Refusal('ambiguous-scope');
    const stackClass = analysis.kinds.kindOfExpression(init)?.name ?? 'DisposableStack';
    const key = site.instance.key;

    this.#checkOuterDisposal(site, key);

    const innerName = declarator.id.name;
    const innerVariable = analysis.sourceCode.getDeclaredVariables(declarator)[0];
    for (const reference of innerVariable?.references ?? []) {
      if (reference.init) continue;
      classifyUse(reference.identifier, 'inner');
    }

    // Registrations on the shared stack inside the inner scope move to the inner stack. Another
    // `using` of the same stack nested inside is its own site: its scope is its business.
    const edits: TextEdit[] = [{ range: declarator.init.range, text: `new ${stackClass}()` }];
    const [start, end] = site.heldRange ?? [declarator.range[1], declarator.range[1]];
    const nestedSites = analysis
      .acquisitions()
      .filter((other) => other !== site && other.form === 'using' && other.instance.key === key && other.node.range[0] >= start && other.node.range[1] <= end);
    const skipped = (node: TSESTree.Node): boolean =>
      nestedSites.some((other) => other.node === node || (other.heldRange !== undefined && node.range[0] >= other.heldRange[0] && node.range[1] <= other.heldRange[1]));
    const scopeOwner = analysis.ownerOf(declarator);
    const visit = (node: TSESTree.Node): void => {
      if (node.range[1] <= start || node.range[0] >= end || skipped(node)) return;
      if (
        (node.type === AST_NODE_TYPES.Identifier || node.type === AST_NODE_TYPES.MemberExpression) &&
        !isInnerBinding(node, innerVariable, analysis) &&
        analysis.resolver.resolveKey(node) === key
      ) {
        if (classifyUse(node, 'outer') === 'registration') {
          if (!runsInScope(node, scopeOwner, analysis)) throw new Refusal('ambiguous-scope');
          edits.push({ range: node.range, text: innerName });
        }
        return;
      }
      for (const child of childNodes(node, analysis.sourceCode.visitorKeys)) visit(child);
    };
    visit(declarator.parent.parent);
    const removal = this.#deadDeclarationRemoval(site, declarator.init);
    if (removal) edits.push(removal);
    return edits;
  }

  /**
   * A stack made only to be bound by this `using` (`const stack = new DisposableStack()`, no
   * other reference) would be left behind unused and undisposed by the split, which
   * `no-floating-disposable` rightly reports: its declaration goes too. Constructing a stack has
   * no side effect, so removing it changes nothing else.
   */
  #deadDeclarationRemoval(site: Acquisition, replaced: TSESTree.Node): TextEdit | undefined {
    const analysis = this.#analysis;
    if (site.instance.path.length !== 0) return undefined;
    const variable = analysis.resolver.variableOfRoot(site.instance.root);
    const definition = variable?.defs.length === 1 ? variable.defs[0]?.node : undefined;
    if (definition?.type !== AST_NODE_TYPES.VariableDeclarator || definition.id.type !== AST_NODE_TYPES.Identifier) return undefined;
    const declaration = definition.parent;
    const init = definition.init;
    const isFreshStack =
      init?.type === AST_NODE_TYPES.NewExpression &&
      init.arguments.length === 0 &&
      init.callee.type === AST_NODE_TYPES.Identifier &&
      STACK_CLASSES.has(init.callee.name);
    const inBlock = declaration.parent.type === AST_NODE_TYPES.BlockStatement || declaration.parent.type === AST_NODE_TYPES.Program;
    if (!isFreshStack || !inBlock || declaration.declarations.length !== 1 || declaration.kind === 'using' || declaration.kind === 'await using') return undefined;
    const onlyHere = variable!.references.every(
      (reference) => reference.init || (reference.identifier.range[0] >= replaced.range[0] && reference.identifier.range[1] <= replaced.range[1]),
    );
    if (!onlyHere) return undefined;
    const text = analysis.sourceCode.text;
    let start = declaration.range[0];
    let end = declaration.range[1];
    const lineStart = text.lastIndexOf('\n', start - 1) + 1;
    const lineEnd = text.indexOf('\n', end);
    // The whole line when the declaration is alone on it (comments above it stay).
    if (/^[ \t]*$/u.test(text.slice(lineStart, start)) && /^[ \t]*$/u.test(text.slice(end, lineEnd === -1 ? text.length : lineEnd))) {
      start = lineStart;
      end = lineEnd === -1 ? text.length : lineEnd + 1;
    }
    return { range: [start, end], text: '' };
  }

  /** The shared stack must still be disposed by someone once its inner scope stops doing it. */
  #checkOuterDisposal(site: Acquisition, key: string): void {
    const analysis = this.#analysis;
    const parameter = analysis.resolver.parameterRoot(site.instance.root);
    if (disposedBeyond(analysis, site.node, key, site)) return;
    if (parameter && site.instance.path.length === 0) {
      this.#checkCallers(parameter.fn, parameter.index, site);
      return;
    }
    // A stack made for this scope alone (no other reference outside it) has no outer registrations.
    const variable = site.instance.path.length === 0 ? analysis.resolver.variableOfRoot(site.instance.root) : undefined;
    const end = site.heldRange?.[1] ?? site.node.range[1];
    const outside = variable?.references.filter((reference) => !reference.init && (reference.identifier.range[0] < site.node.range[0] || reference.identifier.range[0] >= end));
    if (!variable || (outside?.length ?? 0) > 0) throw new Refusal('outer-not-disposed');
  }

  /** A parameter stack: every caller must be in this file and dispose the stack it passes. */
  #checkCallers(fn: FunctionNode, index: number, site: Acquisition): void {
    const analysis = this.#analysis;
    if (analysis.ownerOf(site.node) !== fn) throw new Refusal('ambiguous-scope');
    const variable = functionVariable(fn, analysis.sourceCode);
    if (!variable || isExported(fn)) throw new Refusal('escapes');
    const calls: TSESTree.CallExpression[] = [];
    for (const reference of variable.references) {
      const parent = reference.identifier.parent;
      if (reference.init) continue;
      if (parent.type !== AST_NODE_TYPES.CallExpression || parent.callee !== reference.identifier) throw new Refusal('escapes');
      calls.push(parent);
    }
    if (calls.length === 0) throw new Refusal('escapes');
    for (const call of calls) {
      const argument = call.arguments[index];
      if (!argument || call.arguments.slice(0, index + 1).some((arg) => arg.type === AST_NODE_TYPES.SpreadElement)) throw new Refusal('caller-relies-on-callee');
      const argumentKey = analysis.resolver.resolveKey(unwrapExpression(argument));
      if (argumentKey === undefined || !disposedBeyond(analysis, call, argumentKey, site)) throw new Refusal('caller-relies-on-callee');
    }
  }
}

const planners = new WeakMap<FileAnalysis, StackSplitPlanner>();

/** The planner of a file analysis (built once; plans are memoised per site). */
export function stackSplitPlanner(analysis: FileAnalysis): StackSplitPlanner {
  let planner = planners.get(analysis);
  if (!planner) {
    planner = new StackSplitPlanner(analysis);
    planners.set(analysis, planner);
  }
  return planner;
}

/**
 * Applies non-overlapping edits to a text (later ranges first, so earlier offsets stay valid; an
 * insertion at the start of a replaced range lands before the replacement).
 */
export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  let output = text;
  for (const edit of [...edits].sort((a, b) => b.range[0] - a.range[0] || b.range[1] - a.range[1])) {
    output = output.slice(0, edit.range[0]) + edit.text + output.slice(edit.range[1]);
  }
  return output;
}

/** The path a `using` declarator binds (`using s = stack` → `stack`), if it binds an existing value. */
function boundPath(node: TSESTree.Node): TSESTree.Node | undefined {
  if (node.type !== AST_NODE_TYPES.VariableDeclarator || !node.init) return undefined;
  const init = unwrapExpression(node.init);
  return isPathExpression(init) ? init : undefined;
}

/**
 * How a reference to a stack is used. Registrations are the only use that can move; anything
 * else throws the matching refusal.
 */
function classifyUse(node: TSESTree.Node, which: 'inner' | 'outer'): 'registration' | 'other' {
  let expression: TSESTree.Node = node;
  while (
    expression.parent &&
    (expression.parent.type === AST_NODE_TYPES.TSNonNullExpression || expression.parent.type === AST_NODE_TYPES.TSAsExpression) &&
    expression.parent.expression === expression
  ) {
    expression = expression.parent;
  }
  const parent = expression.parent;
  if (parent?.type === AST_NODE_TYPES.MemberExpression && parent.object === expression) {
    const method = memberName(parent);
    const call = parent.parent;
    const called = call?.type === AST_NODE_TYPES.CallExpression && call.callee === parent;
    if (called && method !== undefined && REGISTRATION_METHODS.has(method)) return 'registration';
    if (method === 'move') throw new Refusal('escapes');
    // The inner name's other members already meant the inner scope's stack.
    if (which === 'inner') return 'other';
    throw new Refusal('ambiguous-scope');
  }
  if (which === 'inner' && parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.id === expression) return 'other';
  if (parent?.type === AST_NODE_TYPES.CallExpression || parent?.type === AST_NODE_TYPES.NewExpression) {
    if (parent.callee !== expression) throw new Refusal('passed-to-unknown-code');
  }
  throw new Refusal('escapes');
}

function isInnerBinding(node: TSESTree.Node, variable: TSESLint.Scope.Variable | undefined, analysis: FileAnalysis): boolean {
  return node.type === AST_NODE_TYPES.Identifier && variable !== undefined && analysis.resolver.variableOf(node) === variable;
}

/** True when the code at `node` runs while its scope runs: in it, or in callbacks run inline there. */
function runsInScope(node: TSESTree.Node, scopeOwner: TSESTree.Node, analysis: FileAnalysis): boolean {
  let owner = analysis.ownerOf(node);
  for (let guard = 0; guard < 100 && owner !== scopeOwner; guard++) {
    if (!isFunctionNode(owner)) return false;
    const runner = analysis.graph.runInline(owner);
    if (!runner) return false;
    owner = analysis.ownerOf(runner);
  }
  return owner === scopeOwner;
}

/**
 * True when, at `node`, a `using` other than `site` holds the stack `key`: it disposes the stack
 * however its scope ends. A later `dispose()` call does not count: a throw before it would
 * leave the outer registrations undisposed, where the inner `using` used to dispose them.
 */
function disposedBeyond(analysis: FileAnalysis, node: TSESTree.Node, key: string, site: Acquisition): boolean {
  return analysis.heldAt(node).some((held) => held !== site && held.effect === 'dispose' && held.instance.key === key);
}

/** The variable a function is reachable through: `function f` or `const f = () => …`. */
function functionVariable(fn: FunctionNode, sourceCode: Readonly<TSESLint.SourceCode>): TSESLint.Scope.Variable | undefined {
  if (fn.type === AST_NODE_TYPES.FunctionDeclaration && fn.id) return sourceCode.getDeclaredVariables(fn).find((variable) => variable.name === fn.id?.name);
  const parent = fn.parent;
  if (parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.init === fn && parent.id.type === AST_NODE_TYPES.Identifier && parent.parent.kind === 'const') {
    return sourceCode.getDeclaredVariables(parent)[0];
  }
  return undefined;
}

function isExported(fn: FunctionNode): boolean {
  let node: TSESTree.Node | undefined = fn.parent;
  if (node?.type === AST_NODE_TYPES.VariableDeclarator) node = node.parent?.parent;
  return node?.type === AST_NODE_TYPES.ExportNamedDeclaration || node?.type === AST_NODE_TYPES.ExportDefaultDeclaration;
}

function childNodes(node: TSESTree.Node, visitorKeys: Readonly<Record<string, readonly string[] | undefined>>): TSESTree.Node[] {
  const children: TSESTree.Node[] = [];
  for (const key of visitorKeys[node.type] ?? []) {
    // A non-computed member name or property key is a name, not a reference.
    if (key === 'property' && node.type === AST_NODE_TYPES.MemberExpression && !node.computed) continue;
    if (key === 'key' && (node.type === AST_NODE_TYPES.Property || node.type === AST_NODE_TYPES.PropertyDefinition) && !node.computed) continue;
    if (key === 'typeAnnotation' || key === 'returnType' || key === 'typeArguments' || key === 'typeParameters') continue;
    const value = (node as unknown as Record<string, unknown>)[key];
    if (Array.isArray(value)) {
      for (const item of value) if (isNode(item)) children.push(item);
    } else if (isNode(value)) {
      children.push(value);
    }
  }
  return children;
}
