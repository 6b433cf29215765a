/**
 * How the directory service reaches the federation's record store. The node gives it
 * the kad-dht (p2p/dht-directory.ts); simulations may give it anything that keeps
 * records by key. Values are raw signed records: the service validates every one.
 */
export interface RecordGetOptions {
  readonly signal: AbortSignal
  /**
   * Called with each peer's value as it arrives (one call per answering peer, so equal
   * values come as often as peers hold them, as the one instance the result holds);
   * returning true ends the lookup there instead of waiting for the slowest peer.
   */
  readonly until?: (value: Uint8Array) => boolean
}

export interface DirectoryRecordTransport {
  /** Stores a record with the peers responsible for its key; resolves to how many acknowledged it. */
  put(key: string, value: Uint8Array, options: { signal: AbortSignal }): Promise<number>
  /** Every candidate value found for the key (own copy and peers'), unvalidated. */
  get(key: string, options: RecordGetOptions): Promise<Uint8Array[]>
}
