import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES, ASTUtils } from '@typescript-eslint/utils';
import type * as ts from 'typescript';

import type { TypeServices } from './type-services.js';

/**
 * Which expressions create a disposable value: the constructors the language defines, classes of
 * the file with a dispose method, names the user declares, and (with types) anything whose type
 * has `[Symbol.dispose]` / `[Symbol.asyncDispose]`.
 */

/** How the value is disposed: which `using` form takes it. `unknown`: a user-named factory. */
export type DisposeProtocol = 'sync' | 'async' | 'both' | 'unknown';

export interface DisposableCreation {
  /** The `new` / call expression, or the `await` around it (the value that is disposable). */
  readonly node: TSESTree.Expression;
  /** For messages: "a `DisposableStack`", "an instance of `Pool`", "a `FileHandle`". */
  readonly description: string;
  readonly protocol: DisposeProtocol;
}

const BUILT_IN: ReadonlyMap<string, DisposeProtocol> = new Map([
  ['DisposableStack', 'sync'],
  ['AsyncDisposableStack', 'async'],
]);

/** Stack methods that return their argument, which the stack now owns: not a new value. */
const RETURNS_ARGUMENT = new Set(['use', 'adopt']);

/** `Symbol.dispose` → 'dispose', `Symbol.asyncDispose` → 'asyncDispose', else undefined. */
export function wellKnownDisposeSymbol(node: TSESTree.Node): 'dispose' | 'asyncDispose' | undefined {
  if (
    node.type !== AST_NODE_TYPES.MemberExpression ||
    node.computed ||
    node.object.type !== AST_NODE_TYPES.Identifier ||
    node.object.name !== 'Symbol' ||
    node.property.type !== AST_NODE_TYPES.Identifier
  ) {
    return undefined;
  }
  const name = node.property.name;
  return name === 'dispose' || name === 'asyncDispose' ? name : undefined;
}

type ClassNode = TSESTree.ClassDeclaration | TSESTree.ClassExpression;

/** The dispose protocol a class's own members declare, or undefined when it has none. */
function ownProtocol(classNode: ClassNode): DisposeProtocol | undefined {
  let sync = false;
  let async = false;
  for (const member of classNode.body.body) {
    if (member.type !== AST_NODE_TYPES.MethodDefinition && member.type !== AST_NODE_TYPES.PropertyDefinition) continue;
    if (!member.computed || member.static) continue;
    const symbol = wellKnownDisposeSymbol(member.key);
    if (symbol === 'dispose') sync = true;
    if (symbol === 'asyncDispose') async = true;
  }
  return combine(sync, async);
}

const combine = (sync: boolean, async: boolean): DisposeProtocol | undefined =>
  sync && async ? 'both' : sync ? 'sync' : async ? 'async' : undefined;

export class DisposableValues {
  readonly #sourceCode: Readonly<TSESLint.SourceCode>;
  readonly #extraNames: ReadonlySet<string>;
  readonly #types: TypeServices;
  readonly #classProtocols = new Map<ClassNode, DisposeProtocol | undefined>();
  /**
   * Constructor names that may make a disposable: the built-in stacks, the listed names, and the
   * names of the file's classes that have a dispose member or extend one. Only a `new` of one of
   * these names costs a scope lookup.
   */
  readonly #candidateNames: Set<string>;
  readonly #localClassNames = new Set<string>();

  constructor(sourceCode: Readonly<TSESLint.SourceCode>, extraNames: ReadonlySet<string>, types: TypeServices) {
    this.#sourceCode = sourceCode;
    this.#extraNames = extraNames;
    this.#types = types;
    this.#candidateNames = new Set([...BUILT_IN.keys(), ...extraNames]);
  }

  /** Learns the file's classes (all of them, from the traversal) before any `creationOf`. */
  addClasses(classes: readonly ClassNode[]): void {
    for (const classNode of classes) {
      const name = classNameOf(classNode);
      if (name !== undefined) this.#localClassNames.add(name);
    }
    const pending = classes.filter((classNode) => classNode.id ?? classNode.parent.type === AST_NODE_TYPES.VariableDeclarator);
    // Subclasses of subclasses: repeat until no name is added (names only; creationOf resolves scopes).
    for (let added = true; added; ) {
      added = false;
      for (const classNode of pending) {
        const name = classNameOf(classNode);
        if (name === undefined || this.#candidateNames.has(name)) continue;
        const superName = classNode.superClass?.type === AST_NODE_TYPES.Identifier ? classNode.superClass.name : undefined;
        if (ownProtocol(classNode) || (superName !== undefined && this.#candidateNames.has(superName))) {
          this.#candidateNames.add(name);
          added = true;
        }
      }
    }
  }

  /** The disposable value `node` creates, or undefined. */
  creationOf(node: TSESTree.NewExpression | TSESTree.CallExpression): DisposableCreation | undefined {
    const syntactic = node.type === AST_NODE_TYPES.NewExpression ? this.#constructed(node) : this.#factoryMade(node);
    if (syntactic) return syntactic;
    return this.#typed(node);
  }

  #constructed(node: TSESTree.NewExpression): DisposableCreation | undefined {
    const callee = node.callee;
    if (callee.type === AST_NODE_TYPES.Identifier) {
      if (!this.#candidateNames.has(callee.name)) return undefined;
      // Only a name some class of the file bears needs a scope lookup to tell which one it is.
      const variable = this.#localClassNames.has(callee.name) ? ASTUtils.findVariable(this.#sourceCode.getScope(node), callee) : null;
      const classNode = variable && classOfVariable(variable);
      if (classNode) {
        const protocol = this.#protocolOfClass(classNode, 0);
        return protocol && { node, description: `an instance of \`${callee.name}\``, protocol };
      }
      // Any other binding of the name (an import or `require` of a shim, a test's injected
      // implementation parameter) is taken for the constructor: only a local class is not.
      const builtIn = BUILT_IN.get(callee.name);
      if (builtIn) return { node, description: article(callee.name), protocol: builtIn };
      if (this.#extraNames.has(callee.name)) return { node, description: article(callee.name), protocol: 'unknown' };
      return undefined;
    }
    const name = calleeName(callee);
    if (name !== undefined && this.#extraNames.has(name)) return { node, description: article(name), protocol: 'unknown' };
    return undefined;
  }

  #factoryMade(node: TSESTree.CallExpression): DisposableCreation | undefined {
    if (this.#extraNames.size === 0) return undefined;
    const name = calleeName(node.callee);
    if (name === undefined || !this.#extraNames.has(name)) return undefined;
    return { node: awaited(node), description: `the value of \`${name}()\``, protocol: 'unknown' };
  }

  /** A class's protocol, its own or inherited from a local disposable class or a built-in stack. */
  #protocolOfClass(classNode: ClassNode, depth: number): DisposeProtocol | undefined {
    if (this.#classProtocols.has(classNode)) return this.#classProtocols.get(classNode);
    let protocol = ownProtocol(classNode);
    const superClass = classNode.superClass;
    if (!protocol && superClass?.type === AST_NODE_TYPES.Identifier && depth < 8) {
      const variable = ASTUtils.findVariable(this.#sourceCode.getScope(classNode), superClass);
      const parent = variable && classOfVariable(variable);
      if (parent) protocol = this.#protocolOfClass(parent, depth + 1);
      else if (!variable || variable.defs.length === 0) protocol = BUILT_IN.get(superClass.name);
    }
    this.#classProtocols.set(classNode, protocol);
    return protocol;
  }

  /** With types: a new value whose type has `[Symbol.dispose]` / `[Symbol.asyncDispose]`. */
  #typed(node: TSESTree.NewExpression | TSESTree.CallExpression): DisposableCreation | undefined {
    const services = this.#types;
    if (!services) return undefined;
    if (node.type === AST_NODE_TYPES.CallExpression) {
      const name = calleeName(node.callee);
      if (name !== undefined && RETURNS_ARGUMENT.has(name)) return undefined;
      if (returnsThis(services, node)) return undefined;
    }
    const value = awaited(node);
    let type: ts.Type;
    try {
      type = services.getTypeAtLocation(value).getNonNullableType();
    } catch {
      return undefined;
    }
    const checker = services.program.getTypeChecker();
    const protocol = protocolOfType(checker, type);
    if (!protocol) return undefined;
    return { node: value, description: article(checker.typeToString(type)), protocol };
  }
}

function protocolOfType(checker: ts.TypeChecker, type: ts.Type): DisposeProtocol | undefined {
  // Every member of a union must be disposable: `FileHandle | string` is not a resource to close.
  const members = type.isUnion() ? type.types : [type];
  let result: DisposeProtocol | undefined;
  for (const member of members) {
    let sync = false;
    let async = false;
    for (const property of checker.getPropertiesOfType(member)) {
      const name = String(property.escapedName);
      if (name.startsWith('__@dispose@')) sync = true;
      else if (name.startsWith('__@asyncDispose@')) async = true;
    }
    const protocol = combine(sync, async);
    if (!protocol) return undefined;
    result = result === undefined || result === protocol ? protocol : 'both';
  }
  return result;
}

/** A method declared to return `this` (`mockReturnValue(): this`) gives back its receiver. */
function returnsThis(services: NonNullable<TypeServices>, call: TSESTree.CallExpression): boolean {
  try {
    const tsNode = services.esTreeNodeToTSNodeMap.get(call);
    const signature = services.program.getTypeChecker().getResolvedSignature(tsNode);
    const declaration = signature?.getDeclaration() as ts.SignatureDeclaration | undefined;
    // Compared as text: `typescript` is not a runtime dependency, so its SyntaxKind enum is not at hand.
    return declaration?.type?.getText() === 'this';
  } catch {
    return false;
  }
}

/** `await x` when the value is awaited: that is the disposable, not the promise. */
function awaited(node: TSESTree.Expression): TSESTree.Expression {
  return node.parent.type === AST_NODE_TYPES.AwaitExpression ? node.parent : node;
}

/** "a `DisposableStack`", "an `AsyncDisposableStack`". */
const article = (name: string): string => `${/^[AEIOUaeiou]/u.test(name) ? 'an' : 'a'} \`${name}\``;

/** `name` of `name(…)` / `obj.name(…)` / `new obj.Name()`. */
export function calleeName(callee: TSESTree.Node): string | undefined {
  if (callee.type === AST_NODE_TYPES.Identifier) return callee.name;
  if (callee.type === AST_NODE_TYPES.MemberExpression && !callee.computed && callee.property.type === AST_NODE_TYPES.Identifier) {
    return callee.property.name;
  }
  return undefined;
}

function classNameOf(classNode: ClassNode): string | undefined {
  if (classNode.id) return classNode.id.name;
  const parent = classNode.parent;
  return parent.type === AST_NODE_TYPES.VariableDeclarator && parent.id.type === AST_NODE_TYPES.Identifier ? parent.id.name : undefined;
}

function classOfVariable(variable: TSESLint.Scope.Variable): ClassNode | undefined {
  for (const def of variable.defs) {
    if (def.type === 'ClassName') return def.node as ClassNode;
    if (def.type === 'Variable' && def.node.type === AST_NODE_TYPES.VariableDeclarator && def.node.init?.type === AST_NODE_TYPES.ClassExpression) {
      return def.node.init;
    }
  }
  return undefined;
}
