import type { ParserServicesWithTypeInformation, TSESLint } from '@typescript-eslint/utils';
import { ESLintUtils } from '@typescript-eslint/utils';

/**
 * Type information when the file was parsed with a TypeScript program (typed linting), else
 * undefined. The ctx rules work without it; with it they recognise more instances (an imported
 * `Mutex`-typed field, a `DisposableStack` parameter declared elsewhere), never fewer.
 *
 * `getParserServices` throws for parsers other than @typescript-eslint/parser (espree), so the
 * program is looked for first.
 */
export function typeServicesOf(
  context: Readonly<TSESLint.RuleContext<string, readonly unknown[]>>,
): ParserServicesWithTypeInformation | undefined {
  if (!context.sourceCode.parserServices?.program) return undefined;
  const services = ESLintUtils.getParserServices(context, true);
  return services.program ? services : undefined;
}

/** What the analyses take: the parser services with a program, or undefined without types. */
export type TypeServices = ParserServicesWithTypeInformation | undefined;
