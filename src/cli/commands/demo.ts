import type { Command } from 'commander';
import { describeDatabase } from '../../db/command-support.js';
import { openDatabase } from '../../db/database.js';
import { DemoAlreadyLoadedError, loadDemo, type DemoSummary } from '../../db/demo/load-demo.js';
import { createCommandLogger } from '../../db/logger.js';
import { setDemoPasswords, type DemoSignIn } from '../../web/accounts/demo-passwords.js';
import { addActingOptions, resolveCommandActor, type ActingOptions } from '../acting-as.js';
import { exitCodes, inputError, usageError } from '../cli-error.js';
import { alignedTable } from '../format/table.js';

interface DemoCommandOptions extends ActingOptions {
  clients: string;
  clean?: boolean;
  seed: string;
}

export function register(program: Command): void {
  const command = program
    .command('demo')
    .description('Load a demonstration service (agency DEMO1) with staff and synthetic clients into the database')
    .option('--clients <n>', 'number of synthetic clients', '2000')
    .option('--clean', 'plant no data-quality problems, so the last complete month exports without errors')
    .option('--seed <n>', 'seed of the generator: the same seed gives the same clients', '1');
  // The demo creates staff accounts, which is the administrator's work.
  addActingOptions(command, 'staff:manage').action(async (options: DemoCommandOptions) => {
    const clients = wholeNumber('--clients', options.clients);
    const seed = wholeNumber('--seed', options.seed);
    const logger = createCommandLogger('waymark-demo');
    const database = await openDatabase({ logger });
    try {
      const { actor } = await resolveCommandActor(database.db, options, 'staff:manage');
      const summary = await loadDemo(database.db, { clients, seed, clean: options.clean === true, actor }).catch((error: unknown) => {
        if (error instanceof DemoAlreadyLoadedError) throw inputError(error.message);
        throw error;
      });
      const signIns = await setDemoPasswords(database.db);
      process.stdout.write(demoReport(summary, signIns, describeDatabase()));
      process.exitCode = exitCodes.ok;
    } finally {
      await database.close();
    }
  });
}

function wholeNumber(option: string, text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value)) throw usageError(`${option} ${JSON.stringify(text)} is not a whole number: give a number such as 2000.`);
  return value;
}

/**
 * Formats what was loaded, who can sign in, and the planted problems with their client references.
 * The passwords are printed because they belong to made-up demonstration accounts only.
 */
export function demoReport(summary: DemoSummary, signIns: DemoSignIn[], where: string): string {
  const passwords = new Map(signIns.map((signIn) => [signIn.email, signIn.password]));
  const lines = [
    `Loaded the demonstration service into ${where}.`,
    `Agency ${summary.agencyCode} with ${summary.teams.length} teams: ${summary.teams.join(', ')}.`,
    `${summary.staff.length} staff, who sign in to the web app (npm start) with these emails and passwords:`,
    ...alignedTable(
      summary.staff.map((member) => [member.email, passwords.get(member.email) ?? '(no password set)', member.roles.join(', '), member.teams.join(', ') || 'all teams']),
    ).map((line) => `  ${line}`),
    'Administrators must set up an authenticator app (TOTP) when they first sign in; the page shows the key and a QR code.',
    `${summary.clients} clients with ${summary.episodes} episodes, ${summary.interventions} interventions and ${summary.reviews} reviews, up to the end of ${summary.period}.`,
  ];

  if (summary.planted.length === 0) {
    lines.push(`No data-quality problems were planted: waymark export --agency ${summary.agencyCode} --period ${summary.period} finds no errors.`);
  } else {
    lines.push(`Planted data-quality problems, for practice (waymark export --agency ${summary.agencyCode} --period ${summary.period} lists them):`);
    lines.push(...alignedTable(summary.planted.map((problem) => [`client ${problem.clientId}`, problem.rule, problem.description])).map((line) => `  ${line}`));
  }
  return `${lines.join('\n')}\n`;
}
