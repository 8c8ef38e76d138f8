'use strict';
const fs = require('fs');

const fd = fs.openSync(__filename, 'r');
{
  using stack = new DisposableStack();
  stack.defer(() => fs.closeSync(fd));
  fs.readSync(fd, Buffer.alloc(1));
}
