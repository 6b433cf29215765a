export { Bucket, seqKey, timeKey, type BucketName } from './buckets.js'
export { Store, type StoreInit, type WriteOp, type PutOp, type Sequencer } from './store.js'
export { EvidenceLog, type EvidenceDraft, type EvidenceEntry, type EvidenceType } from './evidence-log.js'
