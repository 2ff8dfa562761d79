'use strict';
// A benchmark process driven over IPC: the parent asks, the child answers.
// Each side of a comparison runs in a process of its own, so CPU time and
// peak memory belong to one thing only.
const { execFileSync, fork } = require('child_process');
const path = require('path');

/**
 * Starts `script` and resolves once it reports ready: { ready, call(command, args), stop() }.
 * `execPath`: what runs it instead of this Node (valgrind, with this Node in `execArgv`).
 */
function startChild(script, { args = [], execArgv = [], execPath = process.execPath, timeoutMs = 60_000 } = {}) {
  const child = fork(script, args, { execPath, execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const pending = new Map();
  let nextId = 1;
  let exited = null;

  child.on('message', (m) => {
    const p = m && pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (m.error) p.reject(new Error(m.error));
    else p.resolve(m.result);
  });
  child.on('exit', (code, signal) => {
    exited = new Error(`${script} exited (${signal || code})`);
    for (const p of pending.values()) p.reject(exited);
    pending.clear();
  });

  /** Rejects after `callTimeoutMs`: a benchmark that hangs ends, the child is killed. */
  const call = (command, args, callTimeoutMs = 300_000) =>
    new Promise((resolve, reject) => {
      if (exited) return reject(exited);
      const id = nextId++;
      const timer = setTimeout(() => {
        pending.delete(id);
        child.kill('SIGKILL');
        reject(new Error(`${path.basename(script)}: ${command} took longer than ${callTimeoutMs} ms`));
      }, callTimeoutMs);
      const settle = (fn) => (value) => {
        clearTimeout(timer);
        fn(value);
      };
      pending.set(id, { resolve: settle(resolve), reject: settle(reject) });
      child.send({ id, command, args });
    });

  /** Asks the child to close; kills it if it has not gone within 5 s. */
  const stop = () =>
    new Promise((resolve) => {
      if (exited) return resolve();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      call('close').catch(() => {});
    });

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} not ready within ${timeoutMs} ms`));
    }, timeoutMs);
    const onReady = (m) => {
      if (!m || !m.ready) return;
      clearTimeout(timer);
      child.off('message', onReady);
      resolve({ ready: m.ready, call, stop, pid: child.pid });
    };
    child.on('message', onReady);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with ${code} before it was ready`));
    });
  });
}

/** The child's side: answers the parent's calls with `commands[command](args)`. */
function serveParent(commands) {
  process.on('message', async (m) => {
    if (!m || m.id === undefined) return;
    try {
      process.send({ id: m.id, result: await commands[m.command](m.args) });
    } catch (err) {
      process.send({ id: m.id, error: String(err && err.stack ? err.stack : err) });
    }
  });
  process.on('disconnect', () => process.exit(0));
}

/** Whether `command` runs here (`args`: a harmless call of it, such as its version). */
function hasCommand(command, args) {
  try {
    execFileSync(command, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

module.exports = { startChild, serveParent, hasCommand };
