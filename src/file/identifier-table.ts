/**
 * A set of identifiers, each with the number of the client that claimed it, held in typed
 * arrays outside the JavaScript heap. The reader keeps one entry per EPISODID, MODID and
 * SUBMID of a whole file. In a Map of strings each costs about 70 bytes, and V8 grows its
 * heap far past the data's size. Here each costs 24 bytes at most.
 *
 * Identifiers are stored as a 64-bit hash, not as text. NOTE: two different identifiers
 * with the same hash would be taken for one, so a reuse across clients could be reported
 * falsely. For a million identifiers the odds are about 1 in 30 million (n² / 2⁶⁵, an
 * estimate that assumes the hash spreads evenly).
 */
export class IdentifierTable {
  private high = new Uint32Array(1024);
  private low = new Uint32Array(1024);
  /** Client number plus one, so that zero marks an empty slot. */
  private owners = new Int32Array(1024);
  private size = 0;

  /** Returns the client number stored for `id`, storing `clientNumber` first when `id` is new. */
  ownerOrClaim(id: string, clientNumber: number): number {
    const [high, low] = hash64(id);
    const slot = this.findSlot(high, low);
    const owner = this.owners[slot] ?? 0;
    if (owner !== 0) return owner - 1;

    this.high[slot] = high;
    this.low[slot] = low;
    this.owners[slot] = clientNumber + 1;
    this.size += 1;
    if (this.size * 2 > this.owners.length) this.grow();
    return clientNumber;
  }

  /** Returns the slot holding the hash, or the empty slot where it belongs (linear probing). */
  private findSlot(high: number, low: number): number {
    const mask = this.owners.length - 1;
    let slot = low & mask;
    while ((this.owners[slot] ?? 0) !== 0 && (this.high[slot] !== high || this.low[slot] !== low)) slot = (slot + 1) & mask;
    return slot;
  }

  private grow(): void {
    const [oldHigh, oldLow, oldOwners] = [this.high, this.low, this.owners];
    const capacity = oldOwners.length * 2;
    this.high = new Uint32Array(capacity);
    this.low = new Uint32Array(capacity);
    this.owners = new Int32Array(capacity);

    for (let index = 0; index < oldOwners.length; index += 1) {
      const owner = oldOwners[index] ?? 0;
      if (owner === 0) continue;
      const slot = this.findSlot(oldHigh[index] ?? 0, oldLow[index] ?? 0);
      this.high[slot] = oldHigh[index] ?? 0;
      this.low[slot] = oldLow[index] ?? 0;
      this.owners[slot] = owner;
    }
  }
}

/**
 * Hashes text to 64 bits as two 32-bit halves: FNV-1a over the UTF-16 code units with two
 * different offset bases and primes, each finished with the MurmurHash3 32-bit mixer so
 * that short, similar identifiers (S1, S2) spread across the table.
 */
export function hash64(text: string): [number, number] {
  let first = 0x811c9dc5;
  let second = 0x01000193 ^ text.length;
  for (let index = 0; index < text.length; index += 1) {
    const unit = text.charCodeAt(index);
    first = Math.imul(first ^ unit, 0x01000193);
    second = Math.imul(second ^ unit, 0x5bd1e995);
  }
  return [mix32(first), mix32(second ^ first)];
}

function mix32(value: number): number {
  let mixed = value;
  mixed = Math.imul(mixed ^ (mixed >>> 16), 0x85ebca6b);
  mixed = Math.imul(mixed ^ (mixed >>> 13), 0xc2b2ae35);
  return (mixed ^ (mixed >>> 16)) >>> 0;
}
