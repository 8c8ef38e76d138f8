import { it } from 'vitest';
import { Oracle } from './oracle.js';
it('bench', async () => {
  const oracle = await Oracle.start();
  const src = `export function main() {\n${Array.from({length: 6}, (_, i) => `const r${i} = open('r${i}'); try { step('s${i}');`).join('\n')}\n${Array.from({length: 6}, (_, i) => `} finally { r${5-i}.close(); }`).join('\n')}\nreturn 'end'; }\n`;
  for (const fresh of [false, true]) {
    const t0 = performance.now();
    const r = await oracle.run({ id: 'b', fileName: 'p.js', versions: { input: src, output: src }, freshModulePerRun: fresh, maxScenarios: 1000 });
    const ms = performance.now() - t0;
    console.log(`fresh=${fresh} scenarios=${r.native.scenarios.length} runs/engine=${r.native.scenarios.length * 2} total ${ms.toFixed(0)}ms => ${(ms / (r.native.scenarios.length * 2)).toFixed(3)} ms/run`);
  }
  oracle.close();
});
