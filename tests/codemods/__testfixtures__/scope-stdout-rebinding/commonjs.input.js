'use strict';

module.exports = function captureStdout(fn) {
  const chunks = [];
  const write = process.stdout.write;
  process.stdout.write = function (chunk) {
    chunks.push(String(chunk));
    return true;
  };
  fn();
  process.stdout.write = write;
  return chunks;
};
