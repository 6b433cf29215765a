/**
 * Built-in scenarios, as raw objects (parseScenario fills in the defaults):
 * - small: five states for 30 simulated days at their share of the 2019 request rate,
 *   a node crashing and coming back 18 hours later. Runs in under a minute.
 * - faults: the same five states for 20 days: a node down for three days, a partition
 *   and its healing, a member forging alerts. Its alert assertion fails today, showing
 *   three things the node does not do yet (see simulations/README.md).
 * - misbehaviour: the same five states for 20 days with every other fault: latency and
 *   loss on chosen links, the bootstrap node away, withheld answers, a flood, replays and
 *   a member leaving the roster, each with its assertion.
 * - year: all 30 states for 365 simulated days at the 2019 rate (about 1,570 requests a
 *   month) and the 2016-2017 alert rate (about 650 a month), with a crash and restart.
 * - hundred: 100 member nodes in one process: four independent federations of the 25
 *   busiest states, each at their share of the 2019 rate, for 30 simulated days, with a
 *   crash and restart in one federation.
 */
export const BUILT_IN_SCENARIOS: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  small: {
    name: 'small',
    description: 'Five member states, 30 simulated days at their share of the 2019 request rate; Austria crashes on day 10 and restarts 18 hours later.',
    seed: 1,
    nodes: ['CZ', 'PL', 'AT', 'RO', 'DE'],
    durationDays: 30,
    faults: [
      { at: 10, kind: 'crash', nodes: ['AT'] },
      { at: 10.75, kind: 'restart', nodes: ['AT'] }
    ],
    assertions: [
      { id: 'alerts', kind: 'every-alert-reaches-every-live-node' },
      { id: 'forgeries', kind: 'no-forged-accepted' },
      { id: 'crash', kind: 'nothing-lost-across-crashes' },
      { id: 'requests', kind: 'all-requests-delivered' }
    ]
  },
  faults: {
    name: 'faults',
    description: 'Five member states, 20 simulated days; Austria is down from day 2 to day 5; Romania is cut off from the others from day 8 to day 10; Poland puts forged alerts on gossip on day 14.',
    seed: 7,
    nodes: ['CZ', 'PL', 'AT', 'RO', 'DE'],
    durationDays: 20,
    faults: [
      { at: 2, kind: 'crash', nodes: ['AT'] },
      { at: 5, kind: 'restart', nodes: ['AT'] },
      { at: 8, kind: 'partition', nodes: ['RO'] },
      { at: 10, kind: 'heal' },
      { at: 14, kind: 'forge', nodes: ['PL'] }
    ]
  },
  misbehaviour: {
    name: 'misbehaviour',
    description: 'Five member states, 20 simulated days: Czechia and Poland 80 ms (+ up to 40) apart from day 1 to 4; 5 % of the writes of Austria\'s links lost from day 3 to 6; ' +
      'the bootstrap node away from day 5 to 9 (Germany down meanwhile, for a day); Romania accepts requests but never answers from day 2; Germany floods Czechia on day 7; Poland replays old envelopes on day 10; Austria leaves the roster on day 15.',
    seed: 8,
    nodes: ['CZ', 'PL', 'AT', 'RO', 'DE'],
    durationDays: 20,
    node: { escalateAfterDays: 7 },
    faults: [
      { at: 1, kind: 'latency', nodes: ['CZ'], to: ['PL'], ms: 80, jitter: 40 },
      { at: 2, kind: 'withhold', nodes: ['RO'] },
      { at: 3, kind: 'loss', nodes: ['AT'], rate: 0.05 },
      { at: 4, kind: 'clear', nodes: ['CZ'], to: ['PL'] },
      { at: 5, kind: 'bootstrap-down' },
      { at: 5.5, kind: 'crash', nodes: ['DE'] },
      { at: 6, kind: 'clear' },
      { at: 6.5, kind: 'restart', nodes: ['DE'] },
      { at: 7, kind: 'flood', nodes: ['DE'], to: ['CZ'] },
      { at: 9, kind: 'bootstrap-up' },
      { at: 10, kind: 'replay', nodes: ['PL'] },
      { at: 15, kind: 'leave', nodes: ['AT'] }
    ]
  },
  year: {
    name: 'year',
    description: 'All 30 member states for 365 simulated days at the 2019 request rate and the 2016-2017 alert rate, in steps of 4 hours; Germany crashes on day 100 and restarts on day 102.',
    seed: 2019,
    nodes: 30,
    durationDays: 365,
    // Each step fires every node's periodic work once: a broadcast anti-entropy round
    // (3 peers) and the safety-net scans of every request and alert (retention, deadlines).
    // In hourly steps that is 8,760 rounds and scans on each of 30 nodes, and the scans
    // grow with what the nodes hold: the year slowed from 4.5 s to over 20 s a simulated
    // day by day 40. Four hours is fine enough for answer times counted in days.
    stepHours: 4,
    // And the safety-net scans once a simulated day (reminders and overdue marks then land
    // within a day of their time, which answer times counted in days do not notice).
    node: { safetyScanHours: 24 },
    faults: [
      { at: 100, kind: 'crash', nodes: ['DE'] },
      { at: 102, kind: 'restart', nodes: ['DE'] }
    ]
  },
  hundred: {
    name: 'hundred',
    description: 'One hundred member nodes in one process: four independent federations of the 25 busiest states of 2010, each at their share of the 2019 request rate and the 2016-2017 alert rate, for 30 simulated days; Germany of federation 2 crashes on day 10 and restarts on day 11.',
    seed: 100,
    nodes: 25,
    federations: 4,
    durationDays: 30,
    faults: [
      { at: 10, kind: 'crash', nodes: ['DE'], federation: 2 },
      { at: 11, kind: 'restart', nodes: ['DE'], federation: 2 }
    ]
  }
}
