import type { JSONSchema4 } from '@typescript-eslint/utils/json-schema';

/**
 * What counts as a stack or a lock, and which of its methods acquire, release or scope it.
 *
 * Python's `contextlib` docs sort context managers into single-use, reusable-but-not-reentrant
 * and reentrant ones. In JavaScript a `DisposableStack` is single-use, an `async-mutex`
 * `Mutex`/`Semaphore` and a Web Lock are reusable but not reentrant. A team can teach the rules
 * its own kinds (pools, in-house locks) through the `kinds` option, and mark a reentrant one as
 * allowed.
 */

/** `stack`: single-use disposable container; `lock`: reusable but (unless declared) not reentrant. */
export type ResourceCategory = 'stack' | 'lock';

export interface ResourceKind {
  /** Constructor or type name, as written in `new Name()` or `: Name`. */
  readonly name: string;
  readonly category: ResourceCategory;
  /** Methods taking a callback that runs while the instance is held (`runExclusive(cb)`). */
  readonly scopedMethods: readonly string[];
  /** Methods that acquire the instance until a matching release (`acquire()`). */
  readonly acquireMethods: readonly string[];
  /** Methods that release what an acquire method took (`release()`). */
  readonly releaseMethods: readonly string[];
  /** A reentrant kind may be nested inside itself: the rules never report it. */
  readonly reentrant: boolean;
  /** Built-in kinds are shadowed by a local declaration of the same name; user kinds are not. */
  readonly builtIn: boolean;
}

/** One entry of the `kinds` option, as a user writes it. */
export interface UserKindOption {
  name: string;
  scopedMethods?: string[];
  acquireMethods?: string[];
  releaseMethods?: string[];
  reentrant?: boolean;
}

const ASYNC_MUTEX_METHODS = {
  scopedMethods: ['runExclusive'],
  acquireMethods: ['acquire'],
  releaseMethods: ['release'],
} as const;

export const BUILT_IN_KINDS: readonly ResourceKind[] = [
  { name: 'Mutex', category: 'lock', ...ASYNC_MUTEX_METHODS, reentrant: false, builtIn: true },
  { name: 'Semaphore', category: 'lock', ...ASYNC_MUTEX_METHODS, reentrant: false, builtIn: true },
  { name: 'DisposableStack', category: 'stack', scopedMethods: [], acquireMethods: [], releaseMethods: [], reentrant: false, builtIn: true },
  { name: 'AsyncDisposableStack', category: 'stack', scopedMethods: [], acquireMethods: [], releaseMethods: [], reentrant: false, builtIn: true },
];

/**
 * The kind of an instance of a class declared in the file that is not a known kind (including a
 * local `class Mutex`): whatever that class does, the rules know nothing of it, so not even the
 * async-mutex method name `runExclusive` is taken as an acquisition on it.
 */
export const OPAQUE_KIND: ResourceKind = {
  name: '(class declared in this file)',
  category: 'lock',
  scopedMethods: [],
  acquireMethods: [],
  releaseMethods: [],
  reentrant: true,
  builtIn: false,
};

/** async-mutex's exported interfaces name the same kinds in type annotations. */
const TYPE_NAME_ALIASES: ReadonlyMap<string, string> = new Map([
  ['MutexInterface', 'Mutex'],
  ['SemaphoreInterface', 'Semaphore'],
]);

/** The scoped method recognised on a receiver of unknown kind: the name is async-mutex's own. */
export const UNTYPED_SCOPED_METHOD = 'runExclusive';

/** Methods that operate on a live stack and throw `ReferenceError` once it is disposed. */
export const STACK_USE_METHODS: ReadonlySet<string> = new Set(['use', 'adopt', 'defer', 'move']);
/** Methods that dispose a stack (`move()` disposes the original and returns a new one). */
export const STACK_DISPOSE_METHODS: ReadonlySet<string> = new Set(['dispose', 'disposeAsync', 'move']);

/** Shared JSON schema of the `kinds` option, so both rules accept exactly the same shape. */
export const kindsOptionSchema: JSONSchema4 = {
  type: 'array',
  description:
    'Resource kinds of your own (locks, pools, stacks) the rules should know, in addition to async-mutex Mutex/Semaphore, Web Locks and DisposableStack.',
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['name'],
    properties: {
      name: {
        type: 'string',
        minLength: 1,
        description: 'Constructor or type name of the kind, as in `new Name()` or `x: Name`.',
      },
      scopedMethods: {
        type: 'array',
        items: { type: 'string', minLength: 1 },
        uniqueItems: true,
        description: 'Methods whose last argument is a callback run while the instance is held.',
      },
      acquireMethods: {
        type: 'array',
        items: { type: 'string', minLength: 1 },
        uniqueItems: true,
        description: 'Methods that acquire the instance until a release method (or the returned releaser) is called.',
      },
      releaseMethods: {
        type: 'array',
        items: { type: 'string', minLength: 1 },
        uniqueItems: true,
        description: 'Methods that release an acquisition.',
      },
      reentrant: {
        type: 'boolean',
        description: 'True when the kind may be nested inside itself: its instances are then never reported.',
      },
    },
  },
};

/** Every kind the rules know for one file, built-in and user-declared, looked up by name. */
export class KindRegistry {
  readonly #byName = new Map<string, ResourceKind>();
  /** A stable string of the user kinds, part of the per-file analysis cache key. */
  readonly cacheKey: string;
  /** True when the `kinds` option declares kinds of its own (the pre-check then reads them too). */
  readonly hasUserKinds: boolean;
  /**
   * Sharper pre-check without types: text that can start an acquisition the rules recognise
   * syntactically (`runExclusive`, `locks` of a Web Lock request, a user kind's methods). `acquire()` needs a
   * kind the file names (`Mutex`, `Semaphore`, a user kind), checked by `kindNameWords`.
   */
  readonly scopedCallWords: readonly string[];
  readonly acquireCallWords: readonly string[];
  readonly kindNameWords: readonly string[];
  /**
   * One scan of the text for anything an acquisition needs to spell: a scoped method, a Web
   * Lock request, a kind name, a `using` (without types); with types any `acquire` too. One
   * precompiled alternation costs a single pass where a list of `includes` costs one per word.
   */
  readonly untypedCandidatePattern: RegExp;
  readonly typedCandidatePattern: RegExp;
  /**
   * The member names a call must have to be an acquisition (`AcquisitionRecognizer`): every
   * kind's scoped and acquire methods, `runExclusive` (any object, without a known kind) and
   * `waitForUnlock`; a Web Lock request is `request` on `navigator.locks`.
   */
  readonly acquisitionMethodNames: readonly string[];
  /** The names the pre-check looks for in the text: `acquisitionMethodNames` and `request`. */
  readonly acquisitionCallNames: readonly string[];

  constructor(userKinds: readonly UserKindOption[]) {
    for (const kind of BUILT_IN_KINDS) this.#byName.set(kind.name, kind);
    // A user kind named like a built-in replaces it: that is how a team says "our Semaphore is
    // reentrant" or "our Mutex has lock()/unlock()".
    for (const option of userKinds) {
      this.#byName.set(option.name, {
        name: option.name,
        category: 'lock',
        scopedMethods: option.scopedMethods ?? [],
        acquireMethods: option.acquireMethods ?? [],
        releaseMethods: option.releaseMethods ?? [],
        reentrant: option.reentrant ?? false,
        builtIn: false,
      });
    }
    this.cacheKey = JSON.stringify(userKinds);
    this.hasUserKinds = userKinds.length > 0;
    const userScoped = userKinds.flatMap((kind) => kind.scopedMethods ?? []);
    const userAcquire = userKinds.flatMap((kind) => kind.acquireMethods ?? []);
    const userNames = userKinds.map((kind) => kind.name);
    // Second-stage checks, only on files the candidate pattern matched.
    this.scopedCallWords = ['runExclusive', 'locks', ...userScoped];
    this.acquireCallWords = ['acquire', 'waitForUnlock', ...userAcquire];
    this.kindNameWords = ['Mutex', 'Semaphore', ...userKinds.filter((kind) => (kind.acquireMethods ?? []).length > 0).map((kind) => kind.name)];
    const userWords = [...userNames, ...userScoped, ...userAcquire].map(escapeRegExp);
    this.untypedCandidatePattern = new RegExp(['runExclusive', 'locks', 'Mutex', 'Semaphore', 'using', ...userWords].join('|'), 'u');
    this.acquisitionMethodNames = [
      ...new Set([UNTYPED_SCOPED_METHOD, 'waitForUnlock', ...[...this.#byName.values()].flatMap((kind) => [...kind.scopedMethods, ...kind.acquireMethods])]),
    ];
    this.acquisitionCallNames = [...new Set([...this.acquisitionMethodNames, 'request'])];
    this.typedCandidatePattern = new RegExp(['runExclusive', 'locks', 'Mutex', 'Semaphore', 'using', 'acquire', 'waitForUnlock', ...userWords].join('|'), 'u');
  }

  /** The kind a constructor or type name denotes, following async-mutex's interface aliases. */
  byName(name: string): ResourceKind | undefined {
    return this.#byName.get(name) ?? this.#byName.get(TYPE_NAME_ALIASES.get(name) ?? '');
  }

  /** Every known kind with `method` among its scoped methods. */
  kindsWithScopedMethod(method: string): ResourceKind[] {
    return [...this.#byName.values()].filter((kind) => kind.scopedMethods.includes(method));
  }

  /** True when some known kind uses `method` as a scoped, acquire or release method. */
  isLockMethodName(method: string): boolean {
    for (const kind of this.#byName.values()) {
      if (kind.scopedMethods.includes(method) || kind.acquireMethods.includes(method) || kind.releaseMethods.includes(method)) {
        return true;
      }
    }
    return false;
  }
}

const registries = new Map<string, KindRegistry>();

/**
 * The registry for a `kinds` option, built once per distinct option (rules are created once per
 * file, and most configurations have no user kinds at all).
 */
export function kindRegistryFor(userKinds: readonly UserKindOption[]): KindRegistry {
  const key = userKinds.length === 0 ? '' : JSON.stringify(userKinds);
  let registry = registries.get(key);
  if (!registry) {
    registry = new KindRegistry(userKinds);
    registries.set(key, registry);
  }
  return registry;
}

/** True when `text` contains one of `words`. */
export function containsAny(text: string, words: readonly string[]): boolean {
  return words.some((word) => text.includes(word));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');
}
