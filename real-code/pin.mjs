// Prints corpus entries (name, exact version, registry integrity) for `name@version`
// arguments, to paste into real-code/corpus.json or bench/corpus.json:
//   node real-code/pin.mjs pino@10.4.0 @supabase/auth-js@2.109.0
import { pinEntries } from './lib/corpus.mjs';

const specs = process.argv.slice(2);
if (specs.length === 0) {
  console.error('usage: node real-code/pin.mjs <name@version>...');
  process.exit(2);
}
console.log(JSON.stringify(pinEntries(specs), null, 2));
