// `// ctx-codemod-ignore-next-line` directly above a try, or above the declaration right
// before it, skips that site: for a pyramid, the whole chain.
export function copy(from: string, to: string) {
  // ctx-codemod-ignore-next-line
  const source = open(from);
  try {
    const target = open(to);
    try {
      target.write(source.read());
    } finally {
      target.close();
    }
  } finally {
    source.close();
  }
}

export function read(path: string) {
  const file = open(path);
  // ctx-codemod-ignore-next-line
  try {
    return file.read();
  } finally {
    file.close();
  }
}

