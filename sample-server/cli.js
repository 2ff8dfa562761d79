#!/usr/bin/env node
'use strict';
// Runs the sample Comet server until interrupted, for demos:
//   node sample-server/cli.js --port 8088 [--prefix /comet] [--key sample-key]
//        [--download-size BYTES] [--generate-models N] [--chart-size 50x10x15000]

const { createSampleServer } = require('./index');

const USAGE = `Usage: node sample-server/cli.js [--port N] [--prefix /path] [--key KEY]
                                 [--download-size BYTES] [--generate-models N] [--chart-size ExMxP]
  --port             port on 127.0.0.1 (default 8088; 0 = any free port)
  --prefix           serve the REST root under a path prefix, like an on-prem install
  --key              the API key to accept (default sample-key, user ada, workspace ml-team)
  --download-size    make registry model downloads a zip of exactly this many bytes
  --generate-models  add N generated registry models to workspace ml-team
  --chart-size       add project chart-bench (ml-team) with E experiments x M metrics x P points`;

function parseArgs(argv) {
  const opts = { port: 8088, prefix: '', key: 'sample-key', downloadSize: null, generateModels: 0, chartSize: null };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const value = () => (inline !== undefined ? inline : argv[++i]);
    switch (flag) {
      case '--port': opts.port = Number(value()); break;
      case '--prefix': opts.prefix = value(); break;
      case '--key': opts.key = value(); break;
      case '--download-size': opts.downloadSize = Number(value()); break;
      case '--generate-models': opts.generateModels = Number(value()); break;
      case '--chart-size': {
        const m = /^(\d+)x(\d+)x(\d+)$/.exec(value() || '');
        if (!m) throw new Error(`--chart-size wants ExMxP, e.g. 50x10x15000\n${USAGE}`);
        opts.chartSize = { experiments: +m[1], metrics: +m[2], points: +m[3] };
        break;
      }
      case '-h': case '--help': console.log(USAGE); process.exit(0); break;
      default: throw new Error(`unknown argument ${argv[i]}\n${USAGE}`);
    }
  }
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) throw new Error(`bad --port\n${USAGE}`);
  return opts;
}

async function main() {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (err) {
    console.error(err.message);
    process.exit(2);
  }
  const server = await createSampleServer({
    port: opts.port,
    pathPrefix: opts.prefix,
    apiKeys: { [opts.key]: { userName: 'ada', defaultWorkspaceName: 'ml-team' } },
    downloadSize: opts.downloadSize || undefined,
    chartSize: opts.chartSize || undefined,
  });
  if (opts.generateModels) server.registry.generateModels('ml-team', opts.generateModels);
  console.log(`Comet sample server listening on ${server.url}${server.pathPrefix}`);
  console.log(`REST root: ${server.restRoot}`);
  console.log(`API key:   ${opts.key}   (workspace ml-team, user ada)`);
  console.log(`Storage:   ${server.storage.url}`);
  if (opts.chartSize) console.log(`Chart:     project chart-bench in ml-team, metrics metric_00..metric_${String(opts.chartSize.metrics - 1).padStart(2, '0')}`);
  const stop = async () => {
    await server.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err) => {
  console.error(err && err.stack ? err.stack : err);
  process.exit(1);
});
