'use strict';
const fs = require('fs');

const fd = fs.openSync(__filename, 'r');
try {
  fs.readSync(fd, Buffer.alloc(1));
} finally {
  fs.closeSync(fd);
}
