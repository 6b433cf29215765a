/**
 * How the directory service reaches the federation's record store. The node gives it
 * the kad-dht (p2p/dht-directory.ts); simulations may give it anything that keeps
 * records by key. Values are raw signed records: the service validates every one.
 */
export interface DirectoryRecordTransport {
  /** Stores a record with the peers responsible for its key; resolves to how many acknowledged it. */
  put(key: string, value: Uint8Array, options: { signal: AbortSignal }): Promise<number>
  /** Every candidate value found for the key (own copy and peers'), unvalidated. */
  get(key: string, options: { signal: AbortSignal }): Promise<Uint8Array[]>
}
