/** What messaging needs from the network: one request, one reply, to a peer. */
export interface DirectTransport {
  request(peerId: string, frame: Uint8Array, options: { signal: AbortSignal }): Promise<Uint8Array>
}
