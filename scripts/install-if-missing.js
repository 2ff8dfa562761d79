#!/usr/bin/env node
// `npm start` on a fresh clone: install (which also builds, through `prepare`)
// before the demo needs Node-RED and the sample server's dependencies.
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
if (!fs.existsSync(path.join(root, 'node_modules', 'node-red', 'package.json'))) {
  execFileSync('npm', ['install', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
}
