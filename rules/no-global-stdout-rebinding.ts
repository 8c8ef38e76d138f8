import type { TSESTree } from '@typescript-eslint/utils';
import type { RuleContext, RuleFixer, RuleListener, RuleModuleWithMetaDocs } from '@typescript-eslint/utils/ts-eslint';
import { AST_NODE_TYPES } from '@typescript-eslint/utils';

import { ownerOf, YieldPoints } from '../analysis/global-output-async.js';
import { ownsItsProcess } from '../analysis/global-output-entry.js';
import { mayRebindBuiltInTargets, NAME_ESCAPE } from '../analysis/global-output-prefilter.js';
import type { RebindingSite } from '../analysis/global-output-rebinding.js';
import {
  installsNewImplementation,
  isShimForMissingGlobal,
  RebindingFinder,
  SavedOriginals,
} from '../analysis/global-output-rebinding.js';
import type { PatchEvent, RestoreEvent, Verdict } from '../analysis/global-output-restores.js';
import { RestoreJudge } from '../analysis/global-output-restores.js';
import { skipTypeWrappers } from '../analysis/ast-children.js';
import {
  BUILT_IN_TARGETS,
  formatPath,
  GlobalOutputTargets,
  GlobalPathResolver,
  parseTargetPatterns,
  staticPropertyName,
  TARGET_PATTERN_SOURCE,
} from '../analysis/global-output.js';
import { StdoutScopeFixer } from '../analysis/stdout-scope-fix.js';
import { isInConcurrentTest } from '../analysis/test-lifecycle.js';
import type { CtxRuleDocs } from '../lib/create-rule.js';
import { NO_LISTENERS, ruleDocsUrl } from '../lib/create-rule.js';

export type MessageId =
  | 'scopeWithFinally'
  | 'scopeWithStack'
  | 'activeAcrossAsync'
  | 'moduleScope'
  | 'neverRestored'
  | 'restoredByReplacement'
  | 'restoredOutsideFinally'
  | 'testDoubleInConcurrentTest';

export interface Options {
  allowModuleScope?: boolean;
  checkTestDoubles?: boolean;
  concurrentTests?: boolean;
  additionalTargets?: string[];
}

// The safer way every message offers: hand the code its own output instead of the process's.
const INJECT_OUTPUT = 'pass the code a stream, a `Console` (`new Console(stream)`) or a logger';

/** What the options make of the targets, computed once per configuration rather than per file. */
interface TargetSetup {
  readonly targets: GlobalOutputTargets;
  /** Finds a mention of any target root: a file without one cannot rebind a target. */
  readonly rootMention: RegExp;
  /** With only the built-in targets, the finer test of `mayRebindBuiltInTargets` replaces `rootMention`. */
  readonly builtInOnly: boolean;
}

const targetSetups = new Map<string, TargetSetup>();

function targetSetupFor(additionalTargets: readonly string[]): TargetSetup {
  const key = additionalTargets.join('\n');
  let setup = targetSetups.get(key);
  if (setup === undefined) {
    const targets = new GlobalOutputTargets([
      ...parseTargetPatterns(BUILT_IN_TARGETS),
      ...parseTargetPatterns(additionalTargets),
    ]);
    const words = [...new Set(['stdout', 'stderr', ...targets.rootNames()])].map((word) => word.replace(/[$]/gu, '\\$&'));
    // A name may be spelled with escapes (`\\u0063onsole`): such a file is always a candidate.
    setup = { targets, rootMention: new RegExp([...words, NAME_ESCAPE.source].join('|')), builtInOnly: additionalTargets.length === 0 };
    targetSetups.set(key, setup);
  }
  return setup;
}

const RULE_NAME = 'no-global-stdout-rebinding';

const DEFAULT_OPTIONS: Required<Options> = {
  allowModuleScope: false,
  checkTestDoubles: false,
  concurrentTests: false,
  additionalTargets: [],
};

/**
 * Written out rather than through `createRule`: typescript-eslint's `RuleCreator` deep-clones
 * the default options (`structuredClone`) for every file before calling `create`, which costs
 * more than this rule does on the files it skips. ESLint (≥ 9.15, flat config) has already
 * merged `meta.defaultOptions` into `context.options`; the spread below covers the rest.
 */
const rule: RuleModuleWithMetaDocs<MessageId, [Options], CtxRuleDocs> = {
  name: RULE_NAME,
  meta: {
    type: 'problem',
    docs: {
      description:
        "disallow rebinding process-wide output (`process.stdout`, `process.stderr`, `console`) where it can leak or capture other work's output",
      recommended: true,
      url: ruleDocsUrl(RULE_NAME),
    },
    hasSuggestions: true,
    schema: [
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          allowModuleScope: {
            type: 'boolean',
            description:
              'Allow rebinding at module top level (entry points and test set-up files that own the process). Default false.',
          },
          checkTestDoubles: {
            type: 'boolean',
            description:
              'Report test doubles (`vi.spyOn`, `jest.spyOn`, `sinon.stub`, `mock.method`, `vi.stubGlobal`…) of the targets inside concurrent tests. Default false.',
          },
          concurrentTests: {
            type: 'boolean',
            description:
              'Treat every test as running concurrently with others unless marked `.sequential` (vitest `sequence.concurrent: true`). Default false.',
          },
          additionalTargets: {
            type: 'array',
            description:
              'More process-wide output targets, as dotted global paths (`"Deno.stdout"`, `"logger.write"`); a trailing `.*` covers every member (`"Deno.stdout.*"`).',
            items: { type: 'string', pattern: TARGET_PATTERN_SOURCE },
            uniqueItems: true,
          },
        },
      },
    ],
    defaultOptions: [DEFAULT_OPTIONS],
    messages: {
      scopeWithFinally: 'Restore `{{target}}` in a `finally` around the work, as `ctx-codemod scope-stdout-rebinding` does.',
      scopeWithStack:
        'Register the restore of `{{target}}` on a `DisposableStack` bound with `using`, as `ctx-codemod scope-stdout-rebinding --style using` does.',
      neverRestored: `\`{{target}}\` is rebound here and never restored in this function: all later output of the whole process goes to the replacement. Instead, ${INJECT_OUTPUT}, or save the original and restore it in a \`finally\`.`,
      restoredOutsideFinally: `\`{{target}}\` is restored, but not in a \`finally\`: an exception before the restore leaves it rebound for the rest of the process. Restore it in a \`finally\` (with nothing asynchronous in between), or ${INJECT_OUTPUT}.`,
      activeAcrossAsync: `\`{{target}}\` stays rebound across {{across}}: other asynchronous work runs meanwhile and its output is captured or lost, even if a \`finally\` restores it. Instead, ${INJECT_OUTPUT}.`,
      restoredByReplacement: `\`{{target}}\` is put back only by the replacement itself, when something first writes through it: until then, and for good if nothing writes, all output of the process goes to the replacement. Restore it in a \`finally\`, or ${INJECT_OUTPUT}.`,
      moduleScope: `\`{{target}}\` is rebound at module top level: a load-time side effect on every importer for the rest of the process. Rebind it inside a function that restores it in a \`finally\`, or ${INJECT_OUTPUT}.`,
      testDoubleInConcurrentTest: `\`{{target}}\` is replaced by a test double inside a concurrent test: tests running at the same time write through it, so their output lands in this test's double. Inject the stream or logger into the code under test, or run this test serially.`,
    },
  },
  create(context) {
    const given = context.options[0];
    // Most files are skipped here: the test reads no option object it does not need and allocates nothing.
    if (
      given?.checkTestDoubles !== true &&
      (given?.additionalTargets === undefined || given.additionalTargets.length === 0) &&
      !mayRebindBuiltInTargets(context.sourceCode.scopeManager)
    ) {
      return NO_LISTENERS;
    }
    return createListeners(context, { ...DEFAULT_OPTIONS, ...given });
  },
};

export default rule;

function createListeners(context: Readonly<RuleContext<MessageId, [Options]>>, options: Options): RuleListener {
  const sourceCode = context.sourceCode;
  const { targets, rootMention, builtInOnly } = targetSetupFor(options.additionalTargets ?? []);
  // Cheap tests before any traversal: most files never name a target, and most that do only call it.
  // With only the built-in targets `create` has asked `mayRebindBuiltInTargets` already.
  // (Test doubles name their target in a string, `stubGlobal('console')`: the text test covers them.)
  if ((!builtInOnly || options.checkTestDoubles === true) && !rootMention.test(sourceCode.text)) return NO_LISTENERS;

  const resolver = new GlobalPathResolver(sourceCode, targets.rootNames(), builtInOnly);
  const finder = new RebindingFinder(resolver, targets, options.checkTestDoubles === true);
  const savedOriginals = new SavedOriginals(resolver);
  const sites: RebindingSite[] = [];
  // The nodes that give way, in traversal order; turned into yield points only where a question
  // about a patch reaches them (`YieldPoints`): most files that pass the pre-check have no site,
  // and most awaits of a file with one are in other functions.
  const yieldNodes: TSESTree.Node[] = [];
  const noteYieldNode = (node: TSESTree.Node): void => {
    yieldNodes.push(node);
  };
  const noteSites = (found: readonly RebindingSite[]): void => {
    if (found.length > 0) sites.push(...found);
  };

  return {
    AssignmentExpression(node) {
      noteSites(finder.fromAssignment(node));
      if (node.operator === '=') savedOriginals.noteSave(node.left, node.right);
    },
    CallExpression(node) {
      noteSites(finder.fromCall(node));
    },
    UnaryExpression(node) {
      if (node.operator === 'delete') noteSites(finder.fromDelete(node));
    },
    VariableDeclarator(node) {
      if (node.init !== null) savedOriginals.noteSave(node.id, node.init);
    },
    PropertyDefinition(node) {
      const key = staticPropertyName(node.key, node.computed);
      if (node.value !== null && key !== null && !node.static) savedOriginals.noteSaveAt(['this', key], node.value);
    },
    AwaitExpression: noteYieldNode,
    YieldExpression: noteYieldNode,
    ForOfStatement(node) {
      if (node.await) yieldNodes.push(node);
    },
    VariableDeclaration(node) {
      if (node.kind === 'await using') yieldNodes.push(node);
    },
    'Program:exit'() {
      if (sites.length > 0) reportSites();
    },
  };

  function reportSites(): void {
    const rebindings = sites.filter((site) => site.form !== 'test double');
    const replacements = rebindings.flatMap((site) => {
      const replacement = replacementFunction(site);
      return replacement === null ? [] : [replacement];
    });
    const judge = new RestoreJudge(sourceCode, new YieldPoints(yieldNodes), options.concurrentTests === true, replacements);
    const eventOf = (site: RebindingSite): PatchEvent => ({
      node: site.extent,
      reportNode: site.reportNode,
      path: site.path,
      owner: ownerOf(site.extent),
      replacement: replacementFunction(site),
      ownRestores: [],
      selfRegistration: null,
    });
    const patchEvents = new Map(rebindings.map((site) => [site, eventOf(site)]));
    const allPatches = [...patchEvents.values()];
    // Any rebinding that does not install a new implementation may put an earlier one back.
    const restores: RestoreEvent[] = rebindings
      .filter((site) => !installsNewImplementation(site))
      .map((site) => ({
        node: site.extent,
        owner: ownerOf(site.extent),
        path: site.path,
        membersToo: savedOriginals.restoresMembers(site),
      }));
    const putsOriginalBack = new Set(rebindings.filter((site) => savedOriginals.restoresOriginal(site)));
    for (const site of putsOriginalBack) {
      const restore = { node: site.extent, owner: ownerOf(site.extent), path: site.path, membersToo: savedOriginals.restoresMembers(site) };
      restores.push(...judge.restoresThroughHelpers(restore));
    }
    const isRestore = (site: RebindingSite): boolean =>
      putsOriginalBack.has(site) ||
      (!installsNewImplementation(site) &&
        judge.restoresSome({ node: site.extent, owner: ownerOf(site.extent), path: site.path }, allPatches));

    // One call can rebind several targets (`Object.assign(console, { log, error })`), and one
    // primitive call several: one report per node and verdict, naming every target.
    const pending = new Map<string, { node: TSESTree.Node; messageId: MessageId; targets: string[]; across: string }>();
    const addReport = (node: TSESTree.Node, path: readonly string[], messageId: MessageId, across = ''): void => {
      const key = `${node.range.join(':')}/${messageId}`;
      const entry = pending.get(key) ?? { node, messageId, targets: [], across };
      const target = formatPath(path);
      if (!entry.targets.includes(target)) entry.targets.push(target);
      pending.set(key, entry);
    };
    const judgeAndReport = (patch: PatchEvent, followPrimitive: boolean): void => {
      const verdict = judge.verdictOf(patch, restores);
      if (verdict.kind === 'safe') return;
      if (verdict.kind === 'primitive') {
        // Judged where it is called; a primitive handed on again is the caller's business.
        if (followPrimitive) for (const call of judge.patchesAtCallsOf(patch)) judgeAndReport(call, false);
        return;
      }
      if (patch.owner.type === AST_NODE_TYPES.Program) {
        if (options.allowModuleScope !== true && !ownsItsProcess(sourceCode)) addReport(patch.reportNode, patch.path, 'moduleScope');
        return;
      }
      const final = verdict.kind === 'neverRestored' && followPrimitive ? verdictAtHelperCalls(patch) : verdict;
      if (final.kind === 'safe' || final.kind === 'primitive') return;
      addReport(patch.reportNode, patch.path, final.kind, final.kind === 'activeAcrossAsync' ? final.across : '');
    };
    // A helper that only patches (`disableWarnings()`) leaves the restore to its callers: its
    // patch gets the worst verdict among its in-file calls; with none, it is never restored.
    const verdictAtHelperCalls = (patch: PatchEvent): Verdict => {
      const verdicts = judge.patchesAtHelperCalls(patch).map((call) => judge.verdictOf(call, restores));
      if (verdicts.length === 0) return { kind: 'neverRestored' };
      return VERDICT_SEVERITY.map((kind) => verdicts.find((verdict) => verdict.kind === kind)).find(
        (verdict) => verdict !== undefined,
      ) ?? { kind: 'safe' };
    };

    for (const site of sites) {
      if (site.form === 'test double') {
        if (options.checkTestDoubles === true && isInConcurrentTest(site.extent, options.concurrentTests === true)) {
          addReport(site.reportNode, site.path, 'testDoubleInConcurrentTest');
        }
        continue;
      }
      if (isRestore(site) || isShimForMissingGlobal(site, resolver)) continue;
      const patch = patchEvents.get(site);
      if (patch !== undefined) judgeAndReport(patch, true);
    }
    let scopeFixer: StdoutScopeFixer | undefined;
    for (const { node, messageId, targets: reported, across } of pending.values()) {
      const data = { target: reported.join('`, `'), across };
      // The fixable case, in both styles: the text `ctx-codemod scope-stdout-rebinding` writes for this site.
      const suggest =
        messageId !== 'restoredOutsideFinally'
          ? []
          : (['finally', 'using'] as const).flatMap((style) => {
              scopeFixer ??= new StdoutScopeFixer(sourceCode, targets);
              const result = scopeFixer.fixRestoredOutsideFinally(node, style);
              if (result.kind !== 'fix') return [];
              const { range, text } = result.fix;
              const suggestionId: MessageId = style === 'finally' ? 'scopeWithFinally' : 'scopeWithStack';
              return [{ messageId: suggestionId, data, fix: (fixer: RuleFixer) => fixer.replaceTextRange(range, text) }];
            });
      context.report({ node, messageId, data, suggest });
    }
  }
}

/** Verdicts from the worst leak to the least; a patch judged at several calls takes the first found. */
const VERDICT_SEVERITY: readonly Verdict['kind'][] = [
  'neverRestored',
  'activeAcrossAsync',
  'restoredOutsideFinally',
  'restoredByReplacement',
];

/** The replacement a site installs when it is a function literal (a one-shot stub may restore from inside it). */
function replacementFunction(site: RebindingSite): TSESTree.Node | null {
  if (site.value === null || site.valueIsDescriptor) return null;
  const value = skipTypeWrappers(site.value);
  return value.type === AST_NODE_TYPES.ArrowFunctionExpression || value.type === AST_NODE_TYPES.FunctionExpression
    ? value
    : null;
}
