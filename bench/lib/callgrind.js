'use strict';
// Counting instructions with valgrind's callgrind, one measured part at a
// time: the process under it reads process.ppid (a getppid call) before and
// after the part, and callgrind, run with --dump-before=getppid, dumps the
// counts since the last dump each time. The newest dump is then the part's.
const fs = require('fs');
const path = require('path');
const { hasCommand } = require('./child');

const hasValgrind = () => hasCommand('valgrind', ['--version']);

/** startChild's execPath and execArgv to run a Node script under callgrind, its dumps in `dir`. */
function underCallgrind(dir) {
  return {
    execPath: 'valgrind',
    execArgv: ['--tool=callgrind', `--callgrind-out-file=${path.join(dir, 'callgrind.out.%p')}`, '--dump-before=getppid', '--dump-instr=no', process.execPath],
  };
}

/** The instructions of process `pid`'s newest dump in `dir` (its `totals:` line). */
function newestTotals(dir, pid) {
  const prefix = `callgrind.out.${pid}.`;
  const numbers = fs.readdirSync(dir).filter((f) => f.startsWith(prefix)).map((f) => Number(f.slice(prefix.length)));
  const file = path.join(dir, `${prefix}${Math.max(...numbers)}`);
  const match = /^totals:\s+(\d+)/m.exec(fs.readFileSync(file, 'utf8'));
  if (!match) throw new Error(`${file}: no totals line`);
  return Number(match[1]);
}

module.exports = { hasValgrind, underCallgrind, newestTotals };
