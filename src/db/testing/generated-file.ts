import { createWriteStream } from 'node:fs';
import { cdsQDataset } from '../../dataset/index.js';
import type { Client } from '../../domain/model.js';
import { writeCdsQFile } from '../../file/writer.js';
import { generateClients } from '../../generate/generate-clients.js';

export interface GeneratedFileOptions {
  clients: number;
  period: string;
  seed?: number;
  agency?: string;
  /** Changes a client before it is written, to plant a problem. */
  change?: (client: Client, index: number) => void;
}

/** Writes a CDS-Q file of generated clients, streaming, so large files cost little memory. */
export async function writeGeneratedFile(path: string, options: GeneratedFileOptions): Promise<void> {
  const generated = generateClients({ clients: options.clients, agency: options.agency ?? 'TST01', period: options.period, seed: options.seed ?? 7 });
  function* changed(): Generator<Client> {
    let index = 0;
    for (const client of generated) {
      options.change?.(client, index);
      index += 1;
      yield client;
    }
  }
  await writeCdsQFile(changed(), createWriteStream(path), cdsQDataset);
}
