import { connect, DEFAULT_DEADLINES, type CallDeadlines, type CityConnection, type LedgerConnection } from '@jcc/network/ledger';

export { DEFAULT_DEADLINES };
export type { CallDeadlines };

/** An open connection to a city's peer (the ledger client's {@link LedgerConnection}). */
export type FabricConnection = LedgerConnection;

/**
 * Connects to the city's peer as the identity whose certificate and key
 * files are given, through the one ledger client (`@jcc/network/ledger`).
 */
export function connectToPeer(
  connection: CityConnection,
  identityFiles: { certPath: string; keyPath: string },
  deadlines: CallDeadlines = DEFAULT_DEADLINES,
): Promise<FabricConnection> {
  return connect(connection, identityFiles, { deadlines });
}
