/**
 * A module-resolution hook for `ctx-lint`: when a user's `eslint.config.*` imports a package that
 * the user's repository does not have (pre-commit runs hooks in their own environment, often on
 * a clone with no `node_modules`), resolve it from the hook's environment instead: the copy of
 * `eslint-plugin-ctx` running this, its `eslint`, and whatever `additional_dependencies` put
 * beside it. The user's own installed packages always win.
 */
import type { ResolveHook } from 'node:module';

const fallbackParent = import.meta.url;

const isBareSpecifier = (specifier: string): boolean =>
  !/^(?:[./]|[a-z][a-z0-9+.-]*:)/i.test(specifier) && !specifier.startsWith('#');

export const resolve: ResolveHook = async (specifier, context, nextResolve) => {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    const notFound = (error as { code?: string } | null)?.code === 'ERR_MODULE_NOT_FOUND';
    if (!notFound || !isBareSpecifier(specifier) || context.parentURL === fallbackParent) throw error;
    return nextResolve(specifier, { ...context, parentURL: fallbackParent });
  }
};
