'use strict';
// Environment variables a test sets for the code under test.

/**
 * Mocha hooks for the enclosing describe: the variables `names` are removed
 * before each test (so that the machine's own values play no part) and put
 * back as they were after it.
 */
function useCleanEnv(names) {
  let saved;
  beforeEach(() => {
    saved = Object.fromEntries(names.map((name) => [name, process.env[name]]));
    for (const name of names) delete process.env[name];
  });
  afterEach(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });
}

module.exports = { useCleanEnv };
