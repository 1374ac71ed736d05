/**
 * `npm run gateway -- <city> [--port n] [--config file]`: runs one city's
 * gateway in the foreground (Ctrl-C stops it).
 */
import { main } from '../gateway/src/main.js';

await main(process.argv);
