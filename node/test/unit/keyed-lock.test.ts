import { expect } from 'chai'
import { KeyedLock } from '../../src/services/keyed-lock.js'

const tick = async (): Promise<void> => { await new Promise((resolve) => setImmediate(resolve)) }

describe('KeyedLock', () => {
  it('runs the work on one key one at a time, in the order asked', async () => {
    const lock = new KeyedLock()
    const log: string[] = []
    const job = (name: string) => async (): Promise<string> => { log.push(`${name} in`); await tick(); await tick(); log.push(`${name} out`); return name }
    const results = await Promise.all([lock.run('a', job('1')), lock.run('a', job('2')), lock.run('a', job('3'))])
    expect(results).to.deep.equal(['1', '2', '3'])
    expect(log).to.deep.equal(['1 in', '1 out', '2 in', '2 out', '3 in', '3 out'])
  })

  it('lets different keys run side by side', async () => {
    const lock = new KeyedLock()
    const log: string[] = []
    let release!: () => void
    const held = lock.run('a', async () => { log.push('a in'); await new Promise<void>((resolve) => { release = resolve }); log.push('a out') })
    await lock.run('b', async () => { log.push('b') })
    expect(log).to.deep.equal(['a in', 'b'])
    release()
    await held
  })

  it('goes on after a failure, which reaches only its own caller', async () => {
    const lock = new KeyedLock()
    const failed = lock.run('a', async () => { throw new Error('boom') })
    const next = lock.run('a', async () => 'next')
    let caught: unknown
    try { await failed } catch (err) { caught = err }
    expect((caught as Error).message).to.equal('boom')
    expect(await next).to.equal('next')
  })

  it('is busy while work is queued, idle resolves when it is done, and nothing is kept after', async () => {
    const lock = new KeyedLock()
    let release!: () => void
    const held = lock.run('k', async () => { await new Promise<void>((resolve) => { release = resolve }) })
    void lock.run('k', async () => { throw new Error('ignored here') }).catch(() => {})
    expect(lock.busy('k')).to.equal(true)
    let idle = false
    const waiting = lock.idle('k').then(() => { idle = true })
    await tick()
    expect(idle).to.equal(false)
    release()
    await held
    await waiting
    expect(idle).to.equal(true)
    expect(lock.busy('k')).to.equal(false)
  })
})
