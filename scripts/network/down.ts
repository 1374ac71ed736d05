/** `npm run network:down [-- --purge]`: stops what network:up started; --purge also deletes ledgers and crypto material. */
import { parseArgs } from 'node:util';
import { networkDown } from '@jcc/network';

const { values } = parseArgs({ options: { purge: { type: 'boolean', default: false } } });
await networkDown({ purge: values.purge });
