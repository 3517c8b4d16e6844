import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';

// The baseline for the validation benchmark: parse a CDS-Q file with csv-parse and count
// its records, doing nothing else. Prints the count as JSON on standard output.

const path = process.argv[2];
if (path === undefined) {
  process.stderr.write('usage: node dist/bench/validate/parse-only.js FILE\n');
  process.exit(2);
}

let records = 0;
const parser = createReadStream(path).pipe(parse({ bom: true, relax_column_count: true }));
for await (const record of parser) {
  if (Array.isArray(record)) records++;
}
process.stdout.write(`${JSON.stringify({ records })}\n`);
