// pre-commit 4.x: `npm install -g git+file://…`, so npm prepares the package from git.
import { definePreCommitSuite } from './pre-commit-suite.js';
import { pythonPreCommit } from './support.js';

definePreCommitSuite(pythonPreCommit, 4);
