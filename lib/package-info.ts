import { createRequire } from 'node:module';

// Self-reference by package name: works from the TypeScript sources (tests) and from dist/ alike.
const require = createRequire(import.meta.url);
const pkg = require('eslint-plugin-ctx/package.json') as { name: string; version: string };

export const PACKAGE_NAME: string = pkg.name;
export const PACKAGE_VERSION: string = pkg.version;
