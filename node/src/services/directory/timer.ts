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

  cancel (): void {
    this.cancelPending?.()
    this.cancelPending = undefined
  }
}
