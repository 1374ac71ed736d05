/** Root hooks of the gateway HTTP tests: stop the test gateways at the end. */
import { stopGateways } from './harness.js';

export const mochaHooks = {
  async afterAll(): Promise<void> {
    await stopGateways();
  },
};
