import { IdentifierTable } from './identifier-table.js';

/** The kinds of record whose identifiers must not be shared between clients (rule D7). */
export type OwnedRecord = 'episode' | 'intervention' | 'review';

/** A client as first seen in the file. */
export interface ClientSighting {
  clientId: string;
  /** Line of the client's first row. */
  line: number;
}

/**
 * The client that each identifier in the file belongs to, kept to catch an EPISODID, MODID or
 * SUBMID reused by another client (rule D7) and a client whose rows come back after
 * another client's rows (rule D12).
 *
 * This is the only state the reader keeps for the whole file: one Map entry per client
 * (its identifier and first line, for messages), and one hashed entry per record
 * identifier in an `IdentifierTable`.
 */
export class IdentifierOwners {
  private readonly clientNumbers = new Map<string, number>();
  private readonly clients: ClientSighting[] = [];
  private readonly owners: Record<OwnedRecord, IdentifierTable> = {
    episode: new IdentifierTable(),
    intervention: new IdentifierTable(),
    review: new IdentifierTable(),
  };

  /**
   * Registers a client whose rows start on `line`, and returns where the same client was
   * first seen when its rows appeared earlier in the file.
   */
  startClient(clientId: string, line: number): { number: number; earlier: ClientSighting | undefined } {
    const known = this.clientNumbers.get(clientId);
    if (known !== undefined) return { number: known, earlier: this.clients[known] };

    const number = this.clients.length;
    this.clients.push({ clientId, line });
    this.clientNumbers.set(clientId, number);
    return { number, earlier: undefined };
  }

  /** Claims an identifier for a client, returning the other client that claimed it first, if any. */
  claim(kind: OwnedRecord, id: string, clientNumber: number): ClientSighting | undefined {
    const owner = this.owners[kind].ownerOrClaim(id, clientNumber);
    return owner === clientNumber ? undefined : this.clients[owner];
  }
}
