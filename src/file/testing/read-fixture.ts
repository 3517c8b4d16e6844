import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { cdsQDataset } from '../../dataset/index.js';
import type { Client } from '../../domain/model.js';
import type { Finding } from '../../rules/finding.js';
import { readCdsQFile, type ReadOptions } from '../reader.js';

/** Everything the reader yielded for one file. */
export interface ReadFixture {
  clients: Client[];
  findings: Finding[];
  rows: number;
}

/** Streams text or bytes in chunks of `chunkSize` bytes, to exercise values cut across chunks. */
export function streamOf(content: string | Buffer, chunkSize = 64 * 1024): Readable {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  const chunks: Buffer[] = [];
  for (let start = 0; start < bytes.length; start += chunkSize) chunks.push(bytes.subarray(start, start + chunkSize));
  return Readable.from(chunks);
}

/** Reads a whole file with the CDS-Q reader and collects what it yields. */
export async function readFixture(content: string | Buffer, chunkSize?: number, options: Omit<ReadOptions, 'dataset'> = {}): Promise<ReadFixture> {
  const result: ReadFixture = { clients: [], findings: [], rows: 0 };
  for await (const item of readCdsQFile(streamOf(content, chunkSize), { ...options, dataset: cdsQDataset })) {
    if (item.client) result.clients.push(item.client);
    result.findings.push(...item.findings);
    result.rows += item.rowCount;
  }
  return result;
}

export interface ExpectedFinding {
  code: string;
  severity: Finding['severity'];
  line: number;
  field: string;
  value: string;
}

/** Asserts a finding's code, severity, line, field and value, and that its message matches. */
export function assertFinding(finding: Finding | undefined, expected: ExpectedFinding, message: RegExp): void {
  assert.ok(finding, `expected a ${expected.code} finding`);
  assert.deepEqual(
    { code: finding.code, severity: finding.severity, line: finding.line, field: finding.field, value: finding.value },
    expected,
  );
  assert.match(finding.message, message);
}
