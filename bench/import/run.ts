import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The import benchmark: times `waymark import` of a generated CDS-Q file of about a million
 * rows into an empty PGlite database (or PostgreSQL with --database-url), and records the
 * rows per second and the peak memory of the import process. Run after a build:
 *
 *   node dist/bench/import/run.js [--rows 1000000] [--database-url postgres://...]
 *
 * Target: peak memory under 500 MB. The import validates the whole file first, then reads
 * it again and saves it in one transaction, so the time covers both passes.
 *
 * On PGlite the empty data folder is created first, in a process of its own, and measured
 * apart: PGlite's initdb needs far more memory than opening an existing folder, but only
 * once per folder.
 */

const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));
const outputFolder = join(repositoryRoot, 'bench', 'out');
const waymark = join(repositoryRoot, 'bin', 'waymark.js');
const peakMemory = join(repositoryRoot, 'dist', 'bench', 'validate', 'peak-memory.js');
const createDatabase = join(repositoryRoot, 'dist', 'bench', 'import', 'create-database.js');
const period = '2024-03';

interface Measurement {
  seconds: number;
  peakMegabytes: number;
  exitCode: number | null;
  output: string;
}

/** Runs a Node.js script (waymark unless given) as a child process and measures its wall time and peak resident memory. */
async function measure(args: string[], env: NodeJS.ProcessEnv = process.env, script = waymark): Promise<Measurement> {
  const memoryFile = join(outputFolder, `import-peak-memory-${process.pid}.txt`);
  rmSync(memoryFile, { force: true });
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, ['--import', peakMemory, script, ...args], {
    env: { ...env, WAYMARK_BENCH_MEMORY_FILE: memoryFile },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    output = (output + chunk).slice(-4000);
  });
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const peakKilobytes = Number(readFileSync(memoryFile, 'utf8'));
  rmSync(memoryFile, { force: true });
  return { seconds, peakMegabytes: peakKilobytes / 1024, exitCode, output };
}

function option(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index === -1 ? undefined : process.argv[index + 1];
}

async function main(): Promise<void> {
  const rows = Number(option('--rows') ?? 1_000_000);
  if (!Number.isSafeInteger(rows) || rows <= 0) throw new Error(`--rows is ${option('--rows')}, which is not a positive whole number`);
  const databaseUrl = option('--database-url');
  mkdirSync(outputFolder, { recursive: true });

  const file = join(outputFolder, `IMPRT_${period.replace('-', '')}_${rows}_CDSQ.csv`);
  if (!existsSync(file)) {
    const generated = await measure(['generate', '--rows', String(rows), '--agency', 'IMPRT', '--period', period, '--seed', '1', '-o', file]);
    if (generated.exitCode !== 0) throw new Error(`waymark generate failed with exit code ${generated.exitCode}`);
  }
  console.log(`File: ${file}, ${(statSync(file).size / 1e6).toFixed(1)} MB, ${rows} data rows requested.`);

  const dataDir = mkdtempSync(join(tmpdir(), 'waymark-bench-import-'));
  const env: NodeJS.ProcessEnv = { ...process.env, WAYMARK_DATA_DIR: dataDir };
  delete env['DATABASE_URL'];
  if (databaseUrl) env['DATABASE_URL'] = databaseUrl;
  try {
    const created = databaseUrl ? undefined : await measure([], env, createDatabase);
    if (created && created.exitCode !== 0) throw new Error(`creating the PGlite data folder failed with exit code ${created.exitCode}:\n${created.output}`);
    const imported = await measure(['import', file], env);
    if (imported.exitCode !== 0) throw new Error(`waymark import failed with exit code ${imported.exitCode}:\n${imported.output}`);
    const summary = imported.output.trim().split('\n').at(-1) ?? '';
    console.log(`Machine: ${availableParallelism()} CPUs, ${(totalmem() / 2 ** 30).toFixed(1)} GiB memory, Node.js ${process.version}.`);
    console.log(`Database: ${databaseUrl ? 'PostgreSQL' : 'PGlite (new data folder)'}. Import summary: ${summary}`);
    console.log('| step | time (s) | rows per second | peak memory (MB) |');
    console.log('| --- | ---: | ---: | ---: |');
    if (created) console.log(`| create the empty PGlite data folder (initdb, migrations) | ${created.seconds.toFixed(1)} | - | ${created.peakMegabytes.toFixed(0)} |`);
    console.log(`| waymark import (validate, then save in one transaction) | ${imported.seconds.toFixed(1)} | ${Math.round(rows / imported.seconds).toLocaleString('en-GB')} | ${imported.peakMegabytes.toFixed(0)} |`);
    console.log(`Import peak memory ${imported.peakMegabytes.toFixed(0)} MB (target under 500 MB): ${imported.peakMegabytes < 500 ? 'met' : 'NOT met'}.`);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
