/**
 * What `imi help` prints, naming the program as it was run (see program.ts). Paths are
 * relative to the folder the command runs in.
 */
export const usage = (program: string): string => `usage: ${program} <command> [options]

  init --country <CC> [--dir ./<cc>] [--federation imi] [--p2p-port 4001] [--api-port 8080]
       [--listen-host 0.0.0.0] [--announce-host <ip or dns name>]
      create a node's folder: node.key, api-token, imi.json and member.json (the
      descriptor to send to the federation); never overwrites an existing file
  start [--config ./imi.json]
      run the node (p2p and the local API) until SIGINT or SIGTERM; logs go to stderr
  stop [--config ./imi.json]
      stop the running node gracefully (as SIGTERM does) and wait until it is gone
  status [--config ./imi.json]
      ask the running node for its peers, roster version, outbox and evidence log
  verify-evidence [--config ./imi.json]
      check the evidence log's hash chain and every signature in it (through the
      running node, or from its files when it is stopped); exit 1 when broken
  verify-audit [--config ./imi.json]
      check the audit trail's hash chain (who processed which personal data), through the
      running node or from its files when it is stopped; exit 1 when broken
  diagnose [--config ./imi.json] [--export <file>]
      judge every dependency green, yellow or red, one line each: the files the
      configuration names, the roster and this node's key in it, the running node, its
      outbox, the other members and bootstrap nodes (TCP), the clock, the data folder's
      disk, the directory's freshness; exit 1 when anything is red; --export also writes
      the diagnosis with versions, configuration and status as JSON for support
  rotate-key --out <proposal.json> [--grace-days 30] [--config ./imi.json]
      create the next node key (<keyFile>.next) and a roster proposal naming it, signed
      by this node; the members co-sign it (roster cosign) as any roster change
  rotate-key --finish [--config ./imi.json]
      once the roster names the new key: put it in place (the old one kept as .old)
  backup --out <file> --passphrase-file <file> [--config ./imi.json]
      write an encrypted backup of the node: its database (a consistent snapshot, taken
      through the running node or from its files), configuration, key, token and roster
  restore --backup <file> --passphrase-file <file> --dir <new folder>
      rebuild a node from a backup in an empty folder: same identity, same data
  roster show-proposal <proposal.json> [--config ./imi.json]
      show what a roster proposal changes relative to this node's current roster
  roster cosign <proposal.json> [--config ./imi.json] [--out <file>]
      add this node's signature to a proposal (written back in place, or to --out)
  help
      this text

Exit codes: 0 done, 1 failed (node not running, evidence broken, ...), 2 bad input or
configuration (the message names the setting or option to fix).`
