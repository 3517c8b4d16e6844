/** The kinds of record whose identifiers must not be shared between clients (rule D7). */
export type OwnedRecord = 'episode' | 'intervention' | 'review';

/** A client as first seen in the file. */
export interface ClientSighting {
  clientId: string;
  /** Line of the client's first row. */
  line: number;
}

/**
 * Which client each identifier in the file belongs to, to catch an EPISODID, MODID or
 * SUBMID reused by another client (rule D7) and a client whose rows come back after
 * another client's rows (rule D12).
 *
 * This is the only state the reader keeps for the whole file. Each identifier costs one
 * Map entry holding its string and a small integer, roughly 60 to 100 bytes in V8 (an
 * estimate), so a file of a million rows needs some tens of megabytes here.
 */
export class IdentifierOwners {
  private readonly clientNumbers = new Map<string, number>();
  private readonly clients: ClientSighting[] = [];
  private readonly owners: Record<OwnedRecord, Map<string, number>> = {
    episode: new Map(),
    intervention: new Map(),
    review: new Map(),
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
    const owners = this.owners[kind];
    const owner = owners.get(id);
    if (owner === undefined) {
      owners.set(id, clientNumber);
      return undefined;
    }
    return owner === clientNumber ? undefined : this.clients[owner];
  }
}
