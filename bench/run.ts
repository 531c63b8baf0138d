/** `npm run bench`: prints every benchmark figure of Lotse. Targets are printed beside the figures, never asserted in tests. */
import { benchEngine } from './engine.bench.js';
import { benchMail } from './mail.bench.js';

process.env.LOTSE_QUIET ??= '1';

function print(title: string, figures: Record<string, string | number>): void {
  console.log(`\n${title}`);
  for (const [name, value] of Object.entries(figures)) console.log(`  ${name.padEnd(78)} ${value}`);
}

print('Engine (file SQLite, WAL, synchronous=NORMAL)', await benchEngine());
print('Mail and scheduler', await benchMail());
