/**
 * Mocha root hook for the suites that need the real network: when `npm test`
 * could not bring the network up (JCC_SKIP_NETWORK holds why), every test of
 * the suite is reported as skipped with that reason, never as passed.
 */
export const mochaHooks = {
  beforeAll(this: Mocha.Context): void {
    const reason = process.env.JCC_SKIP_NETWORK;
    if (reason) {
      process.stderr.write(`skipping: ${reason}\n`);
      this.skip();
    }
  },
};
