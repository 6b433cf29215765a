/**
 * Async work run one at a time per key, in the order it was asked for. The services read
 * a record, decide, and write it whole; two runs on one key must not interleave, while
 * runs on different keys go on side by side. A failed run does not stop the next one, and
 * a key with nothing queued takes no memory.
 */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<unknown>>()

  /** Runs `fn` after everything queued on `key` before it, and before anything queued after. */
  async run<T> (key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve()
    const run = previous.then(fn, fn)
    const tail = run.catch(() => {})
    this.tails.set(key, tail)
    try {
      return await run
    } finally {
      if (this.tails.get(key) === tail) this.tails.delete(key)
    }
  }

  /** Whether anything is running or queued on `key`. */
  busy (key: string): boolean {
    return this.tails.has(key)
  }

  /** Resolves once everything queued on `key` so far has finished (failed runs included). */
  async idle (key: string): Promise<void> {
    await this.tails.get(key)
  }
}
