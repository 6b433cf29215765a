/** The program the CLI names in its usage and hints: what the operator typed to run it. */
import { expect } from 'chai'
import { programName } from '../../src/cli/program.js'

describe('imi CLI: the program it names', () => {
  it('is npm run imi -- under npm, whatever script runs', () => {
    expect(programName({ npm_lifecycle_event: 'imi' }, ['/usr/bin/node', '/opt/imi/node/src/cli/main.ts'], '/home/op')).to.equal('npm run imi --')
  })

  it('is node and the bundle on a production install: relative below the working folder, else absolute', () => {
    expect(programName({}, ['/usr/bin/node', '/opt/imi/dist/imi.mjs'], '/opt/imi')).to.equal('node dist/imi.mjs')
    expect(programName({}, ['/usr/bin/node', '/opt/imi/dist/imi.mjs'], '/var/lib/imi')).to.equal('node /opt/imi/dist/imi.mjs')
    // Another npm script (npm test running a child) is not `npm run imi`.
    expect(programName({ npm_lifecycle_event: 'test' }, ['/usr/bin/node', '/opt/imi/dist/imi.mjs'], '/srv'))
      .to.equal('node /opt/imi/dist/imi.mjs')
  })

  it('names tsx when the sources run directly', () => {
    expect(programName({}, ['/usr/bin/node', '/work/imi/node/src/cli/main.ts'], '/work/imi')).to.equal('node --import tsx node/src/cli/main.ts')
  })
})
