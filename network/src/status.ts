import { nodeNames } from './nodeEnv.js';
import { portOpen, runningProcess } from './processes.js';
import { allCityNodes } from './topology.js';

/** The state of one node of the local network. */
export interface NodeStatus {
  name: string;
  kind: 'orderer' | 'peer' | 'chaincode';
  port: number;
  /** The address it listens on. */
  host: string;
  pid?: number;
  state: 'up' | 'down' | 'not listening';
}

/** The state of all fifteen nodes (an orderer, a peer and a chaincode server per city). */
export async function networkStatus(): Promise<NodeStatus[]> {
  const rows: NodeStatus[] = [];
  for (const n of allCityNodes()) {
    const names = nodeNames(n);
    const entries = [
      ['orderer', names.orderer, n.ports.orderer],
      ['peer', names.peer, n.ports.peer],
      ['chaincode', names.chaincode, n.ports.chaincodeServer],
    ] as const;
    for (const [kind, name, port] of entries) {
      const running = await runningProcess(name);
      const listening = running ? await portOpen(port, 1000, n.host) : false;
      rows.push({ name, kind, port, host: n.host, pid: running?.pid, state: !running ? 'down' : listening ? 'up' : 'not listening' });
    }
  }
  return rows;
}
