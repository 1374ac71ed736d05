/**
 * The network description, as the gateway reads it: the one schema and
 * reader of the ledger client (`@jcc/network/ledger`).
 */
export { NetworkFileError, cityConnection, networkFileSchema, readNetworkFile } from '@jcc/network/ledger';
export type { CityConnection, NetworkFile } from '@jcc/network/ledger';
