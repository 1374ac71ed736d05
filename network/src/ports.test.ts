import { strict as assert } from 'node:assert';
import { createServer, type Server } from 'node:net';
import { findPortConflicts, PortsInUseError } from './ports.js';

function listen(): Promise<{ server: Server; port: number }> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve({ server, port: typeof address === 'object' && address ? address.port : 0 });
    });
  });
}

describe('ports the network needs', () => {
  it('names the process holding a needed port when it is not the owning node', async () => {
    const { server, port } = await listen();
    try {
      const conflicts = await findPortConflicts([{ port, use: 'peer.test (gateway)', owner: 'peer.test-not-running' }]);
      assert.equal(conflicts.length, 1);
      assert.equal(conflicts[0]!.holder?.pid, process.pid);
      const message = new PortsInUseError(conflicts).message;
      assert.match(message, new RegExp(`port ${port} for peer\\.test \\(gateway\\): held by pid ${process.pid}`));
      assert.match(message, /npm run network:down/);
    } finally {
      server.close();
    }
  });

  it('reports nothing for a free port', async () => {
    const { server, port } = await listen();
    await new Promise((r) => server.close(r));
    assert.deepEqual(await findPortConflicts([{ port, use: 'x', owner: 'x' }]), []);
  });
});
