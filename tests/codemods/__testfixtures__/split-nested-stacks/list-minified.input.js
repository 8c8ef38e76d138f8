// Minified code writes a conditional registration inside a sequence and the run as a `for` with
// only a test: the pushes' values are never read, so they become `defer` calls all the same.
export async function main(){const t=[];try{"a"!==String(step("s"))&&(t.push(()=>trace("r1")),t.push(()=>trace("r2"))),step("work")}catch(e){throw e}finally{for(;t.length;)t.pop()()}}
