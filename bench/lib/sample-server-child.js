'use strict';
// The sample Comet server in a process of its own, so its CPU is not charged to
// the client being measured. Like `node sample-server/cli.js`, plus the IPC the
// benchmarks need: the bench-sized chart data set, generated registry models,
// request counts, registry changes between two polls, and the size of the
// registry model zip downloads stream.
const { createSampleServer } = require('../../sample-server');
const { serveParent } = require('./child');

async function main() {
  const options = JSON.parse(process.argv[2] || '{}');
  const server = await createSampleServer({ port: 0 });
  const chart = options.chartSize ? server.data.setChartSize(options.chartSize) : null;
  const models = options.generateModels ? server.registry.generateModels('ml-team', options.generateModels) : [];

  serveParent({
    requests: () => server.requests.map((r) => `${r.method} ${r.path}`),
    clearRequests: () => server.clearRequests(),
    cpuMs: () => {
      const { user, system } = process.cpuUsage();
      return (user + system) / 1000;
    },
    setStages: ({ workspace, modelName, version, stages }) => void server.registry.setStages(workspace, modelName, version, stages),
    setDownloadSize: (bytes) => void server.data.setDownloadSize(bytes),
    close: async () => {
      await server.close();
      setImmediate(() => process.exit(0));
    },
  });
  const workspaceModels = server.data.registryModels['ml-team'].length;
  process.send({ ready: { url: server.url, restRoot: server.restRoot, apiKey: server.apiKey, chart, models, workspaceModels, experimentKeys: Object.keys(server.data.experiments) } });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
