import { register as registerCatalogue } from './commands/catalogue.js';
import { register as registerCheck } from './commands/check.js';
import { register as registerDemo } from './commands/demo.js';
import { register as registerExport } from './commands/export.js';
import { register as registerGenerate } from './commands/generate.js';
import { register as registerImport } from './commands/import.js';
import { register as registerLookup } from './commands/lookup.js';
import { register as registerReport } from './commands/report.js';
import { register as registerRules } from './commands/rules.js';
import { register as registerSubmissions } from './commands/submissions.js';
import { register as registerSubmit } from './commands/submit.js';
import { register as registerValidate } from './commands/validate.js';
import { createProgram, runProgram } from './program.js';

// Entry point of the `waymark` command (bin/waymark.js imports this module).
// A command module adds itself with one import above and one line in this list.
const program = createProgram();
registerValidate(program);
registerCatalogue(program);
registerGenerate(program);
registerLookup(program);
registerRules(program);
registerImport(program);
registerExport(program);
registerDemo(program);
registerCheck(program);
registerSubmit(program);
registerSubmissions(program);
registerReport(program);

// Output piped into a command that stops reading early, such as `head`, is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

await runProgram(program, process.argv);
