/**
 * A webhook receiver for the notification tests, run as a process of its
 * own: `node --import tsx test/gateway/webhook-receiver.ts <port> <file>`.
 * Listens on 127.0.0.1:<port>, appends every request it gets to <file> as one
 * JSON line (`{receivedAt, method, path, headers, body}`, the body as the raw
 * text, so the test verifies the signature over the exact bytes) and answers 204.
 * Prints `listening` once it accepts connections; exits on SIGTERM.
 */
import { appendFileSync } from 'node:fs';
import { createServer } from 'node:http';

const [port, file] = process.argv.slice(2);
if (!port || !file) {
  console.error('usage: webhook-receiver.ts <port> <file>');
  process.exit(2);
}
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const line = {
      receivedAt: new Date().toISOString(),
      method: req.method,
      path: req.url,
      headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'),
    };
    appendFileSync(file, JSON.stringify(line) + '\n');
    res.writeHead(204).end();
  });
});
server.listen(Number(port), '127.0.0.1', () => console.log('listening'));
process.on('SIGTERM', () => process.exit(0));
