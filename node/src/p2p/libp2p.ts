/**
 * The one place libp2p is assembled, for member nodes and bootstrap nodes alike.
 * Every protocol id carries the federation id, so a training federation's nodes and a
 * production federation's nodes cannot even complete a protocol negotiation.
 */
import { createLibp2p, type Libp2p, type ServiceFactoryMap } from 'libp2p'
import { tcp } from '@libp2p/tcp'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@libp2p/yamux'
import { identify } from '@libp2p/identify'
import { ping } from '@libp2p/ping'
import { bootstrap } from '@libp2p/bootstrap'
import { kadDHT, passthroughMapper, removePrivateAddressesMapper, type KadDHT } from '@libp2p/kad-dht'
import { gossipsub } from '@libp2p/gossipsub'
import { createTopicScoreParams } from '@libp2p/gossipsub/score'
import type { PrivateKey, PeerId } from '@libp2p/interface'
import type { Datastore } from 'interface-datastore'
import { protocolId, topicName, type DirectoryValidationContext } from '@imi/protocol'
import { dhtRecordRules } from './dht-records.js'

export interface P2PInit {
  readonly privateKey: PrivateKey
  readonly federationId: string
  readonly listen: readonly string[]
  readonly announce?: readonly string[]
  readonly bootstrap: readonly string[]
  readonly datastore?: Datastore
  /** Every member on one host (demo, tests, simulations): relax per-host limits. */
  readonly singleHost: boolean
  /** Only roster members and bootstrap nodes may connect at all. */
  readonly admits: (peerId: string) => boolean
  /** What DHT records are judged against (roster, clock); without it every record is refused. */
  readonly records?: () => DirectoryValidationContext
  /** More services beside the federation's, e.g. a benchmark's floodsub to compare gossip with. */
  readonly extraServices?: ServiceFactoryMap
}

export type ImiLibp2p = Libp2p<{ dht: KadDHT, pubsub: ReturnType<ReturnType<typeof gossipsub>>, identify: unknown, ping: unknown }>

/**
 * Members are at most 30 states, known and authenticated by the roster; a member that
 * forwards an invalid message is more likely out of step (roster, clock) than hostile.
 * The penalty is the square of the invalid messages it forwarded, times 10 (gossipsub's
 * thresholds: below 0 out of the mesh, below -10 no gossip, below -50 no publishing to
 * it, below -80 graylisted: everything it sends is dropped). One or two invalid messages
 * (-10, -40) take a member out of the mesh, but every node still publishes to it (flood
 * publishing reaches every member, as every member is connected to every other) and
 * takes its own alerts. Three or more (-90 and less) graylist it. The count halves every
 * 10 minutes: a member that forwarded 3 is out of the graylist within a minute, one that
 * forwarded 10 in about 18, and back in the mesh once the count is under 0.1 (about 33
 * minutes after one). What gossip drops meanwhile, anti-entropy brings (broadcast-sync).
 */
const INVALID_MESSAGE_WEIGHT = -10
const INVALID_HALF_LIFE_S = 600
const federationTopicScore = createTopicScoreParams({
  topicWeight: 1,
  timeInMeshWeight: 0,
  firstMessageDeliveriesWeight: 0,
  meshMessageDeliveriesWeight: 0,
  meshFailurePenaltyWeight: 0,
  invalidMessageDeliveriesWeight: INVALID_MESSAGE_WEIGHT,
  // Per decay interval (a second): halves the count every INVALID_HALF_LIFE_S.
  invalidMessageDeliveriesDecay: Math.pow(0.5, 1 / INVALID_HALF_LIFE_S)
})

export async function createImiLibp2p (init: P2PInit): Promise<ImiLibp2p> {
  const deny = (peerId: PeerId): boolean => !init.admits(peerId.toString())
  return await createLibp2p({
    // Started by the caller, once every protocol handler is registered.
    start: false,
    privateKey: init.privateKey,
    ...(init.datastore !== undefined && { datastore: init.datastore }),
    addresses: { listen: [...init.listen], ...(init.announce !== undefined && init.announce.length > 0 && { announce: [...init.announce] }) },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    peerDiscovery: init.bootstrap.length > 0 ? [bootstrap({ list: [...init.bootstrap], timeout: 100 })] : [],
    connectionGater: {
      denyDialPeer: deny,
      denyInboundEncryptedConnection: deny,
      denyOutboundEncryptedConnection: deny,
      // Loopback and private addresses are how members of a national network or a
      // single-host federation reach each other: the gater decides by identity instead.
      denyDialMultiaddr: () => false
    },
    connectionManager: {
      maxConnections: 300,
      // libp2p's default (5 a second per host) starves a federation started on one host.
      ...(init.singleHost && { inboundConnectionThreshold: 10_000, maxIncomingPendingConnections: 1000 })
    },
    services: {
      // Even the housekeeping protocols carry the federation: /imi-<fed>/id/1.0.0.
      identify: identify({ protocolPrefix: `imi-${init.federationId}` }),
      ping: ping({ protocolPrefix: `imi-${init.federationId}` }),
      dht: kadDHT({
        protocol: protocolId(init.federationId, 'kad'),
        clientMode: false,
        // A federation is a few dozen always-on members: three parallel paths find any
        // record, where the defaults (10) have twenty peers answer every lookup.
        alpha: 3,
        disjointPaths: 3,
        ...dhtRecordRules(init.records),
        peerInfoMapper: init.singleHost ? passthroughMapper : removePrivateAddressesMapper
      }),
      pubsub: gossipsub({
        allowPublishToZeroTopicPeers: true,
        emitSelf: false,
        // About 30 members, every one connected to every other: the default mesh (D 6,
        // 4..12) already reaches all in two hops. Scoring keeps one job: a peer that
        // forwards invalid messages (forged, malformed, stale) is penalised, and
        // graylisted from the third (see federationTopicScore). Delivery-rate penalties
        // are off: federation topics are quiet for hours, and silence is not misbehaviour.
        scoreParams: {
          ...(init.singleHost && { IPColocationFactorWeight: 0 }),
          topics: Object.fromEntries(['broadcasts', 'roster', 'directory'].map((name) => [topicName(init.federationId, name), federationTopicScore]))
        }
      }),
      ...init.extraServices
    }
  }) as unknown as ImiLibp2p
}
