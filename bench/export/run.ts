import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

/**
 * The export benchmark, on PostgreSQL: loads 100,000 generated clients with `waymark import`,
 * then times `waymark export` of one month against a floor, `COPY (SELECT ...) TO STDOUT` of
 * the same intervention and review rows run by psql in the same run. Run after a build:
 *
 *   node dist/bench/export/run.js [--clients 100000] [--repeat 3] [--admin-url postgres://postgres@127.0.0.1:5432/postgres]
 *
 * The admin URL must allow CREATE DATABASE; the benchmark database is dropped at the end.
 * Target: `waymark export` within 3 times the floor.
 */

const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));
const outputFolder = join(repositoryRoot, 'bench', 'out');
const waymark = join(repositoryRoot, 'bin', 'waymark.js');
const agency = 'EXPRT';
const period = '2024-03';
const window = { from: '2023-04-01', to: '2024-03-31' };

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(name);
  return (index === -1 ? undefined : process.argv[index + 1]) ?? fallback;
}

/** Runs a command with its standard output sent to a file, or discarded, and returns its wall time in seconds. */
async function timed(command: string, args: string[], env: NodeJS.ProcessEnv, outputPath?: string): Promise<number> {
  const output = outputPath ? openSync(outputPath, 'w') : 'ignore';
  const started = process.hrtime.bigint();
  const child = spawn(command, args, { env, stdio: ['ignore', output, 'inherit'] });
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  if (typeof output === 'number') closeSync(output);
  if (exitCode !== 0) throw new Error(`${command} ${args.join(' ')} failed with exit code ${exitCode}`);
  return Number(process.hrtime.bigint() - started) / 1e9;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/**
 * Builds the floor query: the rows the export writes (intervention, review, episode-only and
 * no-consent rows), as plain columns with each review's items joined into one field.
 */
function floorQuery(): string {
  const clientEpisode = `c.client_ref, c.first_initial, c.surname_initial, c.date_of_birth, c.sex, c.consent,
    e.episode_ref, e.referral_date, e.triage_date, e.discharge_date, e.discharge_reason`;
  const inWindow = `a.code = '${agency}' and e.triage_date <= '${window.to}' and (e.discharge_date is null or e.discharge_date >= '${window.from}')`;
  return `copy (
    select ${clientEpisode}, i.intervention_ref, i.intervention_type, i.setting, i.referral_date::text, i.first_appointment_offered_date::text,
      i.start_date::text, i.end_date::text, i.exit_status, null, null, null, null, null, null
    from clients c join agencies a on a.id = c.agency_id join episodes e on e.client_id = c.id join interventions i on i.episode_id = e.id
    where ${inWindow} and i.referral_date <= '${window.to}'
    union all
    select ${clientEpisode}, r.review_ref, null, null, r.review_date::text, null, null, null, null,
      r.methadone_dose::text, r.buprenorphine_dose::text, r.ost_supervision, r.relapse_prevention_prescribing,
      (select string_agg(ri.sub_intervention_code, ' ') from review_items ri where ri.review_id = r.id), null
    from clients c join agencies a on a.id = c.agency_id join episodes e on e.client_id = c.id join reviews r on r.episode_id = e.id
    where ${inWindow} and r.review_date <= '${window.to}'
    union all
    select ${clientEpisode}, null, null, null, null, null, null, null, null, null, null, null, null, null, null
    from clients c join agencies a on a.id = c.agency_id join episodes e on e.client_id = c.id
    where ${inWindow}
      and not exists (select 1 from interventions i where i.episode_id = e.id and i.referral_date <= '${window.to}')
      and not exists (select 1 from reviews r where r.episode_id = e.id and r.review_date <= '${window.to}')
    union all
    select c.client_ref, null, null, null, null, c.consent, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null
    from clients c join agencies a on a.id = c.agency_id
    where a.code = '${agency}' and c.consent = 'N' and not exists (select 1 from episodes e where e.client_id = c.id)
  ) to stdout with (format csv)`;
}

async function withAdmin(adminUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  const clients = option('--clients', '100000');
  const repeat = Number(option('--repeat', '3'));
  const adminUrl = option('--admin-url', process.env['WAYMARK_BENCH_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  mkdirSync(outputFolder, { recursive: true });

  const file = join(outputFolder, `${agency}_${period.replace('-', '')}_${clients}_input.csv`);
  if (!existsSync(file)) await timed(process.execPath, [waymark, 'generate', '--clients', clients, '--agency', agency, '--period', period, '--seed', '1', '-o', file], process.env);

  const name = `waymark_bench_export_${process.pid}`;
  await withAdmin(adminUrl, `create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: url.toString() };

  try {
    const loadSeconds = await timed(process.execPath, [waymark, 'import', file], env);
    console.log(`Loaded ${clients} clients with waymark import into PostgreSQL in ${loadSeconds.toFixed(1)} s.`);

    const exported = join(outputFolder, `${agency}_${period.replace('-', '')}_CDSQ.csv`);
    const floorOutput = join(outputFolder, `${agency}_${period.replace('-', '')}_floor.csv`);
    const exportRuns: number[] = [];
    const floorRuns: number[] = [];
    for (let run = 0; run < repeat; run++) {
      exportRuns.push(await timed(process.execPath, [waymark, 'export', '--agency', agency, '--period', period, '-o', exported, '--allow-errors'], env));
      floorRuns.push(await timed('psql', [url.toString(), '--no-psqlrc', '--quiet', '--command', floorQuery()], env, floorOutput));
    }

    const manifest = JSON.parse(readFileSync(`${exported}.manifest.json`, 'utf8')) as { rowCounts: { total: number }; clients: number; errors: number };
    const floorRows = readFileSync(floorOutput, 'utf8').split('\n').filter((line) => line !== '').length;
    const exportSeconds = median(exportRuns);
    const floorSeconds = median(floorRuns);
    console.log(`Machine: ${availableParallelism()} CPUs, ${(totalmem() / 2 ** 30).toFixed(1)} GiB memory, Node.js ${process.version}, ${repeat} runs each (median).`);
    console.log(`Month ${period}: ${manifest.clients} clients, ${manifest.rowCounts.total} rows exported, ${floorRows} rows from the floor query, ${manifest.errors} errors.`);
    console.log('| pass | time (s) | rows per second |');
    console.log('| --- | ---: | ---: |');
    console.log(`| COPY (SELECT ...) TO STDOUT via psql (floor) | ${floorSeconds.toFixed(2)} | ${Math.round(floorRows / floorSeconds).toLocaleString('en-GB')} |`);
    console.log(`| waymark export (extract, validate, write, manifest) | ${exportSeconds.toFixed(2)} | ${Math.round(manifest.rowCounts.total / exportSeconds).toLocaleString('en-GB')} |`);
    const ratio = exportSeconds / floorSeconds;
    console.log(`waymark export takes ${ratio.toFixed(1)} times the floor (target at most 3): ${ratio <= 3 ? 'met' : 'NOT met'}.`);
    rmSync(floorOutput, { force: true });
  } finally {
    await withAdmin(adminUrl, `drop database if exists ${name} with (force)`);
  }
}

await main();
