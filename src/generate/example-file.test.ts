import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { PassThrough, Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { cdsQDataset } from '../dataset/index.js';
import { isPostDischarge } from '../domain/model.js';
import { parseReportingPeriod, periodEnd, type ReportingPeriod } from '../domain/reporting-period.js';
import { defaultThresholds } from '../rules/thresholds.js';
import { validateClient } from '../rules/validate-client.js';
import { validateFile } from '../file/validate-file.js';
import { buildExampleClients, exampleAgency, examplePeriod, writeExampleFile } from './example-file.js';

const period: ReportingPeriod = parseReportingPeriod(examplePeriod) ?? { year: 2024, month: 3 };
const clients = buildExampleClients();
const examplesFolder = new URL('../../../examples/', import.meta.url);
const exampleUrl = new URL(cdsQDataset.conventions.fileName(exampleAgency, examplePeriod), examplesFolder);

async function writtenExample(): Promise<Buffer> {
  const output = new PassThrough();
  const chunks: Buffer[] = [];
  output.on('data', (chunk: Buffer) => chunks.push(chunk));
  await writeExampleFile(output);
  return Buffer.concat(chunks);
}

// Set WAYMARK_UPDATE_EXAMPLES=1 to write the example file again after changing the example clients.
if (process.env.WAYMARK_UPDATE_EXAMPLES === '1') {
  await mkdir(examplesFolder, { recursive: true });
  await writeFile(exampleUrl, await writtenExample());
}

await describe('example file', async () => {
  await it('matches what the builder writes', async () => {
    const committed = await readFile(exampleUrl, 'utf8');
    const written = (await writtenExample()).toString('utf8');
    assert.equal(committed, written, 'examples/ is out of date: run the tests with WAYMARK_UPDATE_EXAMPLES=1');
  });

  await it('validates with no findings', async () => {
    const result = await validateFile(Readable.from(await readFile(exampleUrl)), {
      dataset: cdsQDataset,
      thresholds: defaultThresholds,
      latestAllowedDate: periodEnd(period),
    });
    assert.deepEqual(result.findings, []);
    assert.equal(result.clients, clients.length);
    assert.ok(result.rows > 100, `only ${result.rows} rows`);
  });
});

await describe('example clients', async () => {
  await it('have no findings at all', () => {
    const context = { dataset: cdsQDataset, thresholds: defaultThresholds, latestAllowedDate: periodEnd(period) };
    assert.deepEqual(clients.flatMap((client) => validateClient(client, context)), []);
  });

  await it('use every sub-intervention', () => {
    const delivered = new Set(clients.flatMap((client) => client.episodes.flatMap((episode) => episode.reviews.flatMap((review) => review.delivered))));
    const missing = cdsQDataset.subInterventions.map((item) => item.code).filter((code) => !delivered.has(code));
    assert.deepEqual(missing, []);
  });

  await it('put post-structured items after discharge', () => {
    const postOnly = new Set(cdsQDataset.subInterventions.filter((item) => item.postStructuredOnly).map((item) => item.code));
    const placed = clients.flatMap((client) =>
      client.episodes.flatMap((episode) => episode.reviews.filter((review) => review.delivered.some((code) => postOnly.has(code))).map((review) => isPostDischarge(episode, review))),
    );
    assert.ok(placed.length >= 3, `only ${placed.length} SIRs carry post-structured items`);
    assert.ok(placed.every(Boolean), 'a post-structured item is on an in-treatment SIR');
  });

  await it('include each kind of row', () => {
    const consentCodes = clients.map((client) => client.consent);
    assert.ok(consentCodes.includes(cdsQDataset.conventions.noConsentCode), 'no client without consent');
    const episodes = clients.flatMap((client) => client.episodes);
    assert.ok(episodes.some((episode) => episode.interventions.length === 0 && episode.reviews.length === 0), 'no episode-only row');
    assert.ok(episodes.some((episode) => episode.interventions.some((intervention) => intervention.startDate === undefined)), 'no intervention still waiting');
    assert.ok(clients.some((client) => client.clientId.startsWith('0')), 'no client reference with leading zeros');
  });

  await it('record both oral OST markers with doses', () => {
    const reviews = clients.flatMap((client) => client.episodes.flatMap((episode) => episode.reviews));
    assert.ok(reviews.some((review) => review.methadoneDose !== undefined));
    assert.ok(reviews.some((review) => review.buprenorphineDose !== undefined));
    const supervision = new Set(reviews.map((review) => review.ostSupervision));
    assert.equal(supervision.size, cdsQDataset.codeList('ost-supervision').codes.length);
  });
});
