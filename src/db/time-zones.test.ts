import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, it } from 'node:test';
import { cdsQDataset } from '../dataset/index.js';
import { temporaryFolder } from './testing/export-helpers.js';
import { describeEachDatabase } from './testing/test-databases.js';

const childPath = fileURLToPath(new URL('./testing/time-zone-child.js', import.meta.url));
// London for British Summer Time and the 1968-71 all-year summer time, and two zones far
// either side of Greenwich, where a date read as UTC midnight would move by a day.
const timeZones = ['Europe/London', 'America/New_York', 'Pacific/Auckland'];

interface ChildOutput {
  timeZone: string;
  loaded: Record<string, string>;
  file: string;
}

/** Date of birth of each client in a written CDS-Q file, by CLIENTID. */
function datesOfBirthInFile(file: string): Record<string, string> {
  const [header, ...rows] = file.split('\r\n').filter((line) => line !== '').map((line) => line.slice(1, -1).split('","'));
  const clientColumn = header?.indexOf(cdsQDataset.columnOf('client', 'clientId')) ?? -1;
  const birthColumn = header?.indexOf(cdsQDataset.columnOf('client', 'dateOfBirth')) ?? -1;
  const dates: Record<string, string> = {};
  for (const row of rows) dates[row[clientColumn] ?? ''] = row[birthColumn] ?? '';
  return dates;
}

describeEachDatabase('dates of birth across time zones', (target) => {
  let folder: { path: string; remove(): Promise<void> };

  before(async () => {
    folder = await temporaryFolder();
  });
  after(async () => {
    await folder.remove();
  });

  for (const timeZone of timeZones) {
    void it(`survive save, load and export in ${timeZone}`, async () => {
      const database = await target.create();
      try {
        await database.close();
        const child = spawnSync(process.execPath, [childPath], {
          env: {
            ...process.env,
            TZ: timeZone,
            WAYMARK_CHILD_DATABASE: JSON.stringify(database.options),
            WAYMARK_CHILD_OUTPUT: join(folder.path, `${timeZone.replace('/', '-')}.csv`),
          },
          encoding: 'utf8',
          timeout: 120_000,
        });
        assert.equal(child.status, 0, child.stderr);
        const output = JSON.parse(child.stdout) as ChildOutput;

        assert.equal(output.timeZone, timeZone);
        assert.deepEqual(output.loaded, { SUMMER: '1990-07-15', BST1969: '1969-11-15' });
        assert.deepEqual(datesOfBirthInFile(output.file), { BST1969: '15/11/1969', SUMMER: '15/07/1990' });
      } finally {
        await database.dispose();
      }
    });
  }
});
