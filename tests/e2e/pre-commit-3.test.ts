// Debian's pre-commit 3.0.4: reads `npm pack`'s stdout as the tarball name, then `npm install -g` of it.
import { definePreCommitSuite } from './pre-commit-suite.js';
import { debianPreCommit } from './support.js';

definePreCommitSuite(debianPreCommit, 3);
