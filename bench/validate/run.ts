import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The validation benchmark. It generates a CDS-Q file of about a million rows with
 * `waymark generate`, then times `waymark validate` on it against a pass that only parses
 * the file with csv-parse, and records the peak memory of each. Run after a build:
 *
 *   node dist/bench/validate/run.js [--rows 1000000] [--repeat 3]
 *
 * Targets: validation at least half as fast as parsing alone, peak memory under 300 MB.
 */

const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));
const outputFolder = join(repositoryRoot, 'bench', 'out');
const waymark = join(repositoryRoot, 'bin', 'waymark.js');
const parseOnly = join(repositoryRoot, 'dist', 'bench', 'validate', 'parse-only.js');
const peakMemory = join(repositoryRoot, 'dist', 'bench', 'validate', 'peak-memory.js');
const period = '2024-03';

interface Measurement {
  seconds: number;
  peakMegabytes: number;
  exitCode: number | null;
  output: string;
}

/** Runs a Node.js script as a child process and measures its wall time and peak resident memory. */
async function measure(args: string[]): Promise<Measurement> {
  const memoryFile = join(outputFolder, `peak-memory-${process.pid}.txt`);
  rmSync(memoryFile, { force: true });
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, ['--import', peakMemory, ...args], {
    env: { ...process.env, WAYMARK_BENCH_MEMORY_FILE: memoryFile },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    // Keep the start of the output only: a validation report of a large file could be long.
    if (output.length < 4000) output += chunk;
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

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(name);
  const text = index === -1 ? undefined : process.argv[index + 1];
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`${name} is ${text}, which is not a positive whole number`);
  return value;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

async function main(): Promise<void> {
  const rows = option('--rows', 1_000_000);
  const repeat = option('--repeat', 3);
  mkdirSync(outputFolder, { recursive: true });
  const file = join(outputFolder, `BENCH_${period.replace('-', '')}_CDSQ.csv`);

  const generated = await measure([waymark, 'generate', '--rows', String(rows), '--agency', 'BENCH', '--period', period, '--seed', '1', '-o', file]);
  if (generated.exitCode !== 0) throw new Error(`waymark generate failed with exit code ${generated.exitCode}`);
  const parsed = JSON.parse((await measure([parseOnly, file])).output) as { records: number };
  // The header is one of the records.
  const dataRows = parsed.records - 1;
  console.log(`Generated ${dataRows} data rows (${(statSync(file).size / 1e6).toFixed(1)} MB) in ${generated.seconds.toFixed(1)} s.`);

  const parseRuns: Measurement[] = [];
  const validateRuns: Measurement[] = [];
  for (let run = 0; run < repeat; run++) {
    parseRuns.push(await measure([parseOnly, file]));
    const validated = await measure([waymark, 'validate', file, '--period', period]);
    if (validated.exitCode !== 0) throw new Error(`waymark validate found errors in generated data (exit code ${validated.exitCode}):\n${validated.output}`);
    validateRuns.push(validated);
  }

  const parseSeconds = median(parseRuns.map((run) => run.seconds));
  const validateSeconds = median(validateRuns.map((run) => run.seconds));
  const parseMemory = Math.max(...parseRuns.map((run) => run.peakMegabytes));
  const validateMemory = Math.max(...validateRuns.map((run) => run.peakMegabytes));
  const relativeSpeed = parseSeconds / validateSeconds;

  console.log(`Machine: ${availableParallelism()} CPUs, ${(totalmem() / 2 ** 30).toFixed(1)} GiB memory, Node.js ${process.version}, ${repeat} runs each (median time, largest peak memory).`);
  console.log('| pass | time (s) | rows per second | peak memory (MB) |');
  console.log('| --- | ---: | ---: | ---: |');
  for (const [name, seconds, memory] of [['parse only (csv-parse)', parseSeconds, parseMemory], ['waymark validate', validateSeconds, validateMemory]] as const) {
    console.log(`| ${name} | ${seconds.toFixed(2)} | ${Math.round(dataRows / seconds).toLocaleString('en-GB')} | ${memory.toFixed(0)} |`);
  }
  console.log(`Validation runs at ${(relativeSpeed * 100).toFixed(0)}% of the parse-only speed (target at least 50%): ${relativeSpeed >= 0.5 ? 'met' : 'NOT met'}.`);
  console.log(`Peak memory of validation is ${validateMemory.toFixed(0)} MB (target under 300 MB): ${validateMemory < 300 ? 'met' : 'NOT met'}.`);
}

await main();
