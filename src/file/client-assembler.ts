import type { FieldDefinition } from '../dataset/index.js';
import type { Client, Entity, Episode, FilledField, Intervention, SubInterventionReview } from '../domain/model.js';
import type { Finding } from '../rules/finding.js';
import { makeFinding } from '../rules/make-finding.js';
import { ruleFor } from '../rules/registry.js';
import type { ColumnLayout } from './column-layout.js';
import type { IdentifierOwners, OwnedRecord } from './identifier-owners.js';
import { clientFrom, episodeFrom, interventionFrom, reviewFrom } from './record-builders.js';
import { locate } from './row-parser.js';
import type { ParsedRow } from './row-parser.js';

/** One client read from a file, with the findings of its rows. */
export interface ClientRows {
  /** Missing only when the file stopped at the header (rule D11). */
  client: Client | undefined;
  findings: Finding[];
  rowCount: number;
}

/** A record with the row that first carried it, to compare later rows against. */
interface Sighting<T> {
  record: T;
  first: ParsedRow;
}

interface EpisodeSighting {
  episode: Episode;
  first: ParsedRow;
  /** Lines of rows with only client and episode fields, allowed only when the episode has no other rows (rule D10). */
  episodeOnlyLines: number[];
}

/**
 * Builds one client from its contiguous rows, merging rows that repeat a record and
 * reporting rows that contradict each other (D7), rows of unclear kind (D10) and a client
 * whose rows come back after another client's (D12). Without `owners`, identifiers reused
 * by another client (D7) and returning clients (D12) are not checked.
 */
export class ClientAssembler {
  rowCount = 0;
  private client: Client | undefined;
  private firstRow: ParsedRow | undefined;
  private clientNumber: number | undefined;
  private readonly findings: Finding[] = [];
  private readonly episodes = new Map<string, EpisodeSighting>();
  private readonly interventions = new Map<string, Sighting<Intervention>>();
  private readonly reviews = new Map<string, Sighting<SubInterventionReview>>();
  /** Rows seen so far, by their episode, intervention and SIR identifiers. */
  private readonly rowsByIds = new Map<string, (readonly string[])[]>();

  constructor(
    private readonly layout: ColumnLayout,
    private readonly owners: IdentifierOwners | undefined,
    readonly clientId: string,
  ) {}

  /** Counts a row identical to an earlier row of this client, which is merged into it rather than reported. */
  skipRepeatedRow(fields: readonly string[]): boolean {
    // Identical rows share their record identifiers, so only rows with the same ones are compared.
    const { episodeId, interventionId, reviewId } = this.layout;
    const key = `${fields[episodeId] ?? ''}\u0000${fields[interventionId] ?? ''}\u0000${fields[reviewId] ?? ''}`;
    const earlier = this.rowsByIds.get(key);
    if (!earlier) {
      this.rowsByIds.set(key, [fields]);
      return false;
    }
    if (!earlier.some((other) => sameFields(other, fields))) {
      earlier.push(fields);
      return false;
    }
    this.rowCount += 1;
    return true;
  }

  add(row: ParsedRow): void {
    this.rowCount += 1;
    this.findings.push(...row.findings);
    const client = this.addClientFields(row);

    if (client.consent === this.layout.dataset.conventions.noConsentCode || row.kind === 'no-consent') {
      this.keepFilledWithoutConsent(client, row);
      return;
    }
    if (row.kind === 'client') return;

    const episode = this.addEpisode(client, row);
    switch (row.kind) {
      case 'episode':
        episode.episodeOnlyLines.push(row.line);
        break;
      case 'intervention':
        this.addIntervention(row, episode);
        break;
      case 'review':
        this.addReview(row, episode);
        break;
      case 'both':
        this.findings.push(this.mixedRow(row));
        break;
    }
  }

  finish(): ClientRows {
    const client = this.client;
    if (!client) throw new Error('A client needs at least one row before it is finished');

    for (const { episode, episodeOnlyLines } of this.episodes.values()) {
      if (episode.interventions.length === 0 && episode.reviews.length === 0) continue;
      for (const line of episodeOnlyLines) this.findings.push(this.episodeOnlyRow(episode, line));
    }
    return { client, findings: this.findings, rowCount: this.rowCount };
  }

  private addClientFields(row: ParsedRow): Client {
    if (this.client && this.firstRow) {
      const noConsent = this.firstRow.kind === 'no-consent' || row.kind === 'no-consent';
      const columns = (noConsent ? [...this.layout.noConsentColumns] : this.layout.columnsOf.client).filter((column) => column !== this.layout.clientId);
      this.compare(row, this.firstRow, columns, `${this.nameAt(this.layout.clientId)} ${this.clientId}`, 'Make every row of the client agree.');
      return this.client;
    }

    this.client = clientFrom(this.layout, row);
    this.firstRow = row;
    if (this.clientId !== '' && this.owners) {
      const { number, earlier } = this.owners.startClient(this.clientId, row.line);
      this.clientNumber = number;
      if (earlier) this.findings.push(this.clientRowsSplit(row, earlier.line));
    }
    return this.client;
  }

  private keepFilledWithoutConsent(client: Client, row: ParsedRow): void {
    const filled: FilledField[] = [];
    row.raw.forEach((text, column) => {
      const field = this.layout.fields[column];
      if (field && text !== '' && !this.layout.noConsentColumns.has(column)) filled.push({ field: field.name, value: text, line: row.line });
    });
    if (filled.length > 0) client.filledWithoutConsent = [...(client.filledWithoutConsent ?? []), ...filled];
  }

  private addEpisode(client: Client, row: ParsedRow): EpisodeSighting {
    const id = row.raw[this.layout.episodeId] ?? '';
    const key = keyOf(id, row);
    const known = this.episodes.get(key);
    if (known) {
      const columns = this.layout.columnsOf.episode.filter((column) => column !== this.layout.episodeId);
      this.compare(row, known.first, columns, `${this.nameAt(this.layout.episodeId)} ${id}`, 'Make every row of the episode agree.');
      return known;
    }

    const sighting: EpisodeSighting = { episode: episodeFrom(this.layout, row), first: row, episodeOnlyLines: [] };
    this.episodes.set(key, sighting);
    client.episodes.push(sighting.episode);
    this.claim('episode', id, row, this.layout.episodeId);
    return sighting;
  }

  private addIntervention(row: ParsedRow, episode: EpisodeSighting): void {
    const id = row.raw[this.layout.interventionId] ?? '';
    const key = keyOf(id, row);
    const known = this.interventions.get(key);
    if (known) {
      this.compareRecord(row, known, this.layout.interventionId, 'intervention');
      return;
    }

    const record = interventionFrom(this.layout, row);
    this.interventions.set(key, { record, first: row });
    episode.episode.interventions.push(record);
    this.claim('intervention', id, row, this.layout.interventionId);
  }

  private addReview(row: ParsedRow, episode: EpisodeSighting): void {
    const id = row.raw[this.layout.reviewId] ?? '';
    const key = keyOf(id, row);
    const known = this.reviews.get(key);
    if (known) {
      this.compareRecord(row, known, this.layout.reviewId, 'review');
      return;
    }

    const record = reviewFrom(this.layout, row);
    this.reviews.set(key, { record, first: row });
    episode.episode.reviews.push(record);
    this.claim('review', id, row, this.layout.reviewId);
  }

  /** Reports an intervention or SIR whose later row disagrees with its first, or sits under another episode. */
  private compareRecord<T>(row: ParsedRow, known: Sighting<T>, idColumn: number, entity: Entity): void {
    const idField = this.nameAt(idColumn);
    const episodeField = this.nameAt(this.layout.episodeId);
    const id = row.raw[idColumn] ?? '';
    const episodeId = row.raw[this.layout.episodeId] ?? '';
    const knownEpisodeId = known.first.raw[this.layout.episodeId] ?? '';
    if (episodeId !== knownEpisodeId) {
      this.findings.push(
        makeFinding(ruleFor('D7'), {
          ...locate(this.layout, row, this.fieldAt(this.layout.episodeId)),
          record: { entity, id },
          field: this.fieldAt(this.layout.episodeId).name,
          value: episodeId,
          message: `${idField} ${id} is under ${episodeField} ${episodeId} on this row but under ${knownEpisodeId} on line ${known.first.line}. Give each record its own ${idField}, or correct the ${episodeField}.`,
        }),
      );
      return;
    }

    const columns = this.layout.columnsOf[entity].filter((column) => column !== idColumn);
    this.compare(row, known.first, columns, `${idField} ${id}`, `Make every row of ${idField} ${id} agree, or give each record its own ${idField}.`);
  }

  /** Reports each column where `row` disagrees with the row that first carried the same record (rule D7). */
  private compare(row: ParsedRow, first: ParsedRow, columns: readonly number[], record: string, fix: string): void {
    for (const column of columns) {
      if (row.comparable[column] === first.comparable[column]) continue;

      const field = this.fieldAt(column);
      const here = row.raw[column] ?? '';
      const there = first.raw[column] ?? '';
      this.findings.push(
        makeFinding(ruleFor('D7'), {
          ...locate(this.layout, row, field),
          field: field.name,
          value: here,
          message: `${field.name} is ${shown(here)} on this row but ${shown(there)} on line ${first.line} for ${record}. ${fix}`,
        }),
      );
    }
  }

  /** Claims an identifier for this client and reports it when another client already has it (rule D7). */
  private claim(kind: OwnedRecord, id: string, row: ParsedRow, idColumn: number): void {
    if (id === '' || this.clientNumber === undefined || !this.owners) return;
    const owner = this.owners.claim(kind, id, this.clientNumber);
    if (!owner) return;

    const field = this.fieldAt(idColumn);
    this.findings.push(
      makeFinding(ruleFor('D7'), {
        ...locate(this.layout, row, field),
        field: field.name,
        value: id,
        message: `${field.name} ${id} already belongs to ${this.nameAt(this.layout.clientId)} ${owner.clientId}, whose rows start on line ${owner.line}. Give each client's records their own ${field.name}.`,
      }),
    );
  }

  private clientRowsSplit(row: ParsedRow, earlierLine: number): Finding {
    const field = this.fieldAt(this.layout.clientId);
    return makeFinding(ruleFor('D12'), {
      ...locate(this.layout, row, field),
      field: field.name,
      value: this.clientId,
      message: `${field.name} ${this.clientId} has rows here after other clients' rows, but its rows started on line ${earlierLine}. Put all of a client's rows together.`,
    });
  }

  private mixedRow(row: ParsedRow): Finding {
    const interventionColumn = this.layout.columnsOf.intervention.find((column) => (row.raw[column] ?? '') !== '') ?? this.layout.interventionId;
    // A comparable value is empty for an empty column and for a sub-intervention marked not delivered.
    const reviewColumn = this.layout.columnsOf.review.find((column) => row.comparable[column] !== '') ?? this.layout.reviewId;
    const interventionField = this.fieldAt(interventionColumn).name;
    const reviewField = this.fieldAt(reviewColumn);
    const reviewValue = row.raw[reviewColumn] ?? '';
    return makeFinding(ruleFor('D10'), {
      ...locate(this.layout, row, reviewField),
      field: reviewField.name,
      value: reviewValue,
      message: `This row fills intervention fields (${interventionField} ${row.raw[interventionColumn] ?? ''}) and sub-intervention review fields (${reviewField.name} ${reviewValue}), so it is neither an intervention row nor a review row. Put the intervention and the review on separate rows.`,
    });
  }

  private episodeOnlyRow(episode: Episode, line: number): Finding {
    const field = this.fieldAt(this.layout.episodeId);
    return makeFinding(ruleFor('D10'), {
      line,
      clientId: this.clientId,
      record: { entity: 'episode', id: episode.episodeId },
      field: field.name,
      value: episode.episodeId,
      message: `This row has only client and episode fields, but ${field.name} ${episode.episodeId} also has intervention or sub-intervention review rows. Remove this row, or fill in the intervention or review it was meant to carry.`,
    });
  }

  private nameAt(column: number): string {
    return this.fieldAt(column).name;
  }

  private fieldAt(column: number): FieldDefinition {
    const field = this.layout.fields[column];
    if (!field) throw new Error(`Column ${column} is outside the dataset`);
    return field;
  }
}

/** Rows with an empty identifier are never merged, so each gets a key no identifier can have. */
function keyOf(id: string, row: ParsedRow): string {
  return id === '' ? `\u0000${row.line}` : id;
}

function sameFields(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let index = 0; index < a.length; index += 1) {
    if (a[index] !== b[index]) return false;
  }
  return true;
}

function shown(text: string): string {
  return text === '' ? 'empty' : text;
}
