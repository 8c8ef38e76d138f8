// Minified code writes a conditional registration inside a sequence and the run as a `for` with
// only a test: the pushes' values are never read, so they become `defer` calls all the same.
export async function main(){using stack = new DisposableStack();
try{"a"!==String(step("s"))&&(stack.defer(()=>trace("r1")),stack.defer(()=>trace("r2"))),step("work")}catch(e){throw e}}
