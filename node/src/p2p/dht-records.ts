/**
 * The kad-dht side of directory records: every DHT server (member or bootstrap node)
 * runs the protocol's validator before it stores a record for anyone, and the selector
 * when a lookup returns several. Keys under /imi/ are ours; kad-dht picks these
 * functions by that first path segment.
 */
import { RecordSignerError, fromUtf8, selectDirectoryRecord, validateDirectoryRecord, type DirectoryValidationContext } from '@imi/protocol'
import type { SelectFn, ValidateFn } from '@libp2p/kad-dht'

export function dhtRecordRules (context?: () => DirectoryValidationContext): { validators: Record<string, ValidateFn>, selectors: Record<string, SelectFn> } {
  return {
    validators: {
      imi: (key, value) => {
        if (context === undefined) throw new RecordSignerError('this host holds no roster to judge records by')
        validateDirectoryRecord(fromUtf8(key), value, context())
      }
    },
    selectors: { imi: (key, records) => selectDirectoryRecord(fromUtf8(key), records) }
  }
}
