/** One pending run of a job on the injected clock; setting it again replaces the pending run. */
import type { Clock } from '../../clock.js'

export class Timer {
  private cancelPending: (() => void) | undefined

  constructor (private readonly clock: Clock, private readonly fn: () => void) {}

  set (ms: number): void {
    this.cancel()
    this.cancelPending = this.clock.setTimeout(() => {
      this.cancelPending = undefined
      this.fn()
    }, ms)
  }

  /** Whether a run is set and has not happened yet. */
  get pending (): boolean {
    return this.cancelPending !== undefined
  }

  cancel (): void {
    this.cancelPending?.()
    this.cancelPending = undefined
  }
}
