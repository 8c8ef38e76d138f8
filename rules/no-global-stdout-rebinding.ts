import type { TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '@typescript-eslint/utils';

import type { CodeOwner, YieldPoint } from '../analysis/global-output-async.js';
import {
  isInConcurrentTest,
  laterCallbackBetween,
  ownerOf,
  yieldPointsOf,
} from '../analysis/global-output-async.js';
import type { RebindingSite } from '../analysis/global-output-rebinding.js';
import {
  installsNewImplementation,
  isShimForMissingGlobal,
  RebindingFinder,
  restoreCovers,
  SavedOriginals,
} from '../analysis/global-output-rebinding.js';
import {
  BUILT_IN_TARGET_WORDS,
  BUILT_IN_TARGETS,
  formatPath,
  GlobalOutputTargets,
  GlobalPathResolver,
  parseTargetPatterns,
  staticPropertyName,
  TARGET_PATTERN_SOURCE,
} from '../analysis/global-output.js';
import { createRule } from '../lib/create-rule.js';

export type MessageId =
  | 'activeAcrossAsync'
  | 'moduleScope'
  | 'neverRestored'
  | 'restoredOutsideFinally'
  | 'testDoubleInConcurrentTest';

export interface Options {
  allowModuleScope?: boolean;
  checkTestDoubles?: boolean;
  additionalTargets?: string[];
}

// The safer way every message offers: hand the code its own output instead of the process's.
const INJECT_OUTPUT = 'pass the code a stream, a `Console` (`new Console(stream)`) or a logger';

/** What a patch's own function does with it, before the module-level verdict is applied. */
type FunctionVerdict =
  | { readonly kind: 'safe' }
  | { readonly kind: 'neverRestored' }
  | { readonly kind: 'restoredOutsideFinally' }
  | { readonly kind: 'activeAcrossAsync'; readonly across: string };

export default createRule<[Options], MessageId>({
  name: 'no-global-stdout-rebinding',
  meta: {
    type: 'problem',
    docs: {
      description:
        "disallow rebinding process-wide output (`process.stdout`, `process.stderr`, `console`) where it can leak or capture other work's output",
      recommended: true,
    },
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
    defaultOptions: [{ allowModuleScope: false, checkTestDoubles: false, additionalTargets: [] }],
    messages: {
      neverRestored: `\`{{target}}\` is rebound here and never restored in this function: all later output of the whole process goes to the replacement. Instead, ${INJECT_OUTPUT}, or save the original and restore it in a \`finally\`.`,
      restoredOutsideFinally: `\`{{target}}\` is restored, but not in a \`finally\`: an exception before the restore leaves it rebound for the rest of the process. Restore it in a \`finally\` (with nothing asynchronous in between), or ${INJECT_OUTPUT}.`,
      activeAcrossAsync: `\`{{target}}\` stays rebound across {{across}}: other asynchronous work runs meanwhile and its output is captured or lost, even if a \`finally\` restores it. Instead, ${INJECT_OUTPUT}.`,
      moduleScope: `\`{{target}}\` is rebound at module top level: a load-time side effect on every importer for the rest of the process. Rebind it inside a function that restores it in a \`finally\`, or ${INJECT_OUTPUT}.`,
      testDoubleInConcurrentTest: `\`{{target}}\` is replaced by a test double inside a concurrent test: tests running at the same time write through it, so their output lands in this test's double. Inject the stream or logger into the code under test, or run this test serially.`,
    },
  },
  create(context, [options]) {
    const targets = new GlobalOutputTargets([
      ...parseTargetPatterns(BUILT_IN_TARGETS),
      ...parseTargetPatterns(options.additionalTargets ?? []),
    ]);
    const sourceCode = context.sourceCode;
    // Cheap bail-out: a file that names no target root nor stream cannot rebind one.
    const mentionWords = [...BUILT_IN_TARGET_WORDS, ...targets.rootNames()];
    if (!mentionWords.some((word) => sourceCode.text.includes(word))) return {};

    const resolver = new GlobalPathResolver(sourceCode, targets.rootNames());
    const finder = new RebindingFinder(resolver, targets);
    const savedOriginals = new SavedOriginals(resolver);
    const sites: RebindingSite[] = [];
    const yieldPoints: YieldPoint[] = [];

    const noteYieldPoints = (node: TSESTree.Node): void => {
      yieldPoints.push(...yieldPointsOf(node));
    };

    return {
      AssignmentExpression(node) {
        sites.push(...finder.fromAssignment(node));
        if (node.operator === '=') savedOriginals.noteSave(node.left, node.right);
      },
      CallExpression(node) {
        sites.push(...finder.fromCall(node));
      },
      VariableDeclarator(node) {
        if (node.init !== null) savedOriginals.noteSave(node.id, node.init);
      },
      PropertyDefinition(node) {
        const key = staticPropertyName(node.key, node.computed);
        if (node.value !== null && key !== null && !node.static) savedOriginals.noteSaveAt(['this', key], node.value);
      },
      AwaitExpression: noteYieldPoints,
      YieldExpression: noteYieldPoints,
      ForOfStatement: noteYieldPoints,
      VariableDeclaration: noteYieldPoints,
      'Program:exit'() {
        reportSites();
      },
    };

    function reportSites(): void {
      const patches = sites.filter((site) => site.form !== 'test double');
      const restores = new Set(
        patches.filter(
          (site) =>
            savedOriginals.restoresOriginal(site) || patches.some((patch) => restoreKindOf(site, patch) !== null),
        ),
      );
      // One call can rebind several targets (`Object.assign(console, { log, error })`): one report
      // per node and verdict, naming every target.
      const pending = new Map<string, { node: TSESTree.Node; messageId: MessageId; targets: string[]; across: string }>();
      const addReport = (site: RebindingSite, messageId: MessageId, across = ''): void => {
        const key = `${site.reportNode.range.join(':')}/${messageId}`;
        const entry = pending.get(key) ?? { node: site.reportNode, messageId, targets: [], across };
        entry.targets.push(formatPath(site.path));
        pending.set(key, entry);
      };
      for (const site of sites) {
        if (site.form === 'test double') {
          if (options.checkTestDoubles === true && isInConcurrentTest(site.extent)) {
            addReport(site, 'testDoubleInConcurrentTest');
          }
          continue;
        }
        if (restores.has(site) || isShimForMissingGlobal(site, resolver)) continue;
        const verdict = functionVerdictOf(site, patches);
        if (verdict.kind === 'safe') continue;
        if (ownerOf(site.extent).type === AST_NODE_TYPES.Program) {
          if (options.allowModuleScope !== true) addReport(site, 'moduleScope');
        } else {
          addReport(site, verdict.kind, verdict.kind === 'activeAcrossAsync' ? verdict.across : '');
        }
      }
      for (const { node, messageId, targets: reported, across } of pending.values()) {
        context.report({ node, messageId, data: { target: reported.join('`, `'), across } });
      }
    }

    /**
     * How `candidate` restores `patch`: 'sync' when it follows it in the same function,
     * 'later' when it sits in a callback that runs later; `null` when it is no restore of it.
     */
    function restoreKindOf(candidate: RebindingSite, patch: RebindingSite): 'sync' | { later: string } | null {
      if (candidate === patch || !restoreCovers(candidate.path, patch.path) || installsNewImplementation(candidate)) {
        return null;
      }
      const candidateOwner = ownerOf(candidate.extent);
      const patchOwner = ownerOf(patch.extent);
      if (candidateOwner === patchOwner) return candidate.extent.range[0] >= patch.extent.range[1] ? 'sync' : null;
      const laterCaller = laterCallbackBetween(candidateOwner, patchOwner);
      return laterCaller === null ? null : { later: laterCaller };
    }

    /**
     * Precedence (one report per patch): never restored, then active across asynchronous
     * work (checked against the `finally` restore when there is one, else the first restore),
     * then restored outside a `finally`.
     */
    function functionVerdictOf(patch: RebindingSite, patches: readonly RebindingSite[]): FunctionVerdict {
      const syncRestores: RebindingSite[] = [];
      let laterCaller: string | null = null;
      for (const candidate of patches) {
        const kind = restoreKindOf(candidate, patch);
        if (kind === 'sync') syncRestores.push(candidate);
        else if (kind !== null) laterCaller ??= kind.later;
      }
      const firstSyncRestore = syncRestores.sort((a, b) => a.extent.range[0] - b.extent.range[0])[0];
      if (firstSyncRestore === undefined) {
        return laterCaller === null
          ? { kind: 'neverRestored' }
          : { kind: 'activeAcrossAsync', across: `a callback that runs later (\`${laterCaller}\`)` };
      }
      const finallyRestore = syncRestores.find((restore) => isInFinallyGuarding(restore, patch));
      const restore = finallyRestore ?? firstSyncRestore;
      const owner = ownerOf(patch.extent);
      const yieldPoint = yieldPoints.find(
        (point) =>
          point.owner === owner && point.offset >= patch.extent.range[1] && point.offset < restore.extent.range[0],
      );
      if (yieldPoint !== undefined) return { kind: 'activeAcrossAsync', across: yieldPoint.description };
      return finallyRestore === undefined ? { kind: 'restoredOutsideFinally' } : { kind: 'safe' };
    }
  },
});

/**
 * True when `restore` sits in the `finally` of a `try` (in the same function) that contains
 * the patch or starts after it, so every exit path after the patch runs the restore.
 */
function isInFinallyGuarding(restore: RebindingSite, patch: RebindingSite): boolean {
  const owner: CodeOwner = ownerOf(restore.extent);
  let current: TSESTree.Node = restore.extent;
  while (current !== owner && current.parent) {
    const parent: TSESTree.Node = current.parent;
    if (parent.type === AST_NODE_TYPES.TryStatement && parent.finalizer === current) {
      const patchStart = patch.extent.range[0];
      const tryContainsPatch = parent.block.range[0] <= patchStart && patchStart < parent.block.range[1];
      if (tryContainsPatch || parent.range[0] >= patch.extent.range[1]) return true;
    }
    current = parent;
  }
  return false;
}
