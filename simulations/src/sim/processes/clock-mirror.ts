/**
 * The virtual clock across processes. The parent owns the simulation's SimClock; each
 * node's process runs a mirror of it (a SimClock of its own, which only the parent
 * moves). Every advance of the parent's clock is sent to every child as `advance`; the
 * child runs its timers due up to that time (in order, as the one-process clock does)
 * and answers `advanced`. Messages on one IPC channel arrive in order, so a call the
 * parent makes after an advance runs in the child after that advance's timers, with the
 * child's `now()` equal to the parent's: the same seed and scenario give the same
 * workload, at the same virtual times, in both modes.
 */
import { SimClock } from '../sim-clock.js'

/** The child's side: a SimClock that only `advance` messages move. */
export class ClockMirror extends SimClock {
  /** Runs the timers due up to `now` (the parent's time); returns how many fired. */
  follow (now: number): number { return this.advanceTo(now) }
}

/** The parent's side, per child: advances sent and not answered yet. */
export class ClockLink {
  private sent = 0
  private acked = 0
  private waiters: Array<() => void> = []

  constructor (private readonly send: (now: number) => boolean) {}

  /** Sends the parent's new time; false when the child is gone. */
  advance (now: number): void {
    if (this.send(now)) this.sent++
  }

  /** The child answered an advance. */
  answered (): void {
    this.acked++
    if (this.acked >= this.sent) { for (const w of this.waiters.splice(0)) w() }
  }

  /** The child has not yet run the timers of the last advance sent. */
  get behind (): boolean { return this.acked < this.sent }

  /** Resolves once every advance sent so far was answered (or at once). */
  async caughtUp (): Promise<void> {
    if (!this.behind) return
    await new Promise<void>((resolve) => { this.waiters.push(resolve) })
  }

  /** The child exited: nothing more will be answered. */
  gone (): void {
    this.acked = this.sent
    for (const w of this.waiters.splice(0)) w()
  }
}
