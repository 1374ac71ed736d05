/**
 * The verdict message catalogue (domain/src/verify/messages.ts), bundled for
 * the verification page (`gateway/public/verdict-messages.js`), which is
 * plain JavaScript and imports it as a module.
 */
export { chinaTimeText, renderCheckMessage } from '../../../domain/src/verify/messages.js';
