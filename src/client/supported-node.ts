import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Refuses to load on a Node older than package.json's engines.node (undici 8,
 * the HTTP client, needs 22.19): one sentence in Node-RED's log and palette
 * instead of a TypeError from deep inside undici. The config node's file
 * imports this first, before anything that loads undici (no other node file
 * loads it).
 */
const PACKAGE: { name: string; engines?: { node?: string } } = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8'));

/** Why this package cannot run on Node `version` (default this one's), or undefined when it can. */
export function unsupportedNode(version: string = process.versions.node): string | undefined {
  const range = PACKAGE.engines?.node ?? '';
  const floor = /^>=\s*v?(\d+)\.(\d+)\.(\d+)$/.exec(range.trim());
  if (!floor) return undefined;
  const wanted = floor.slice(1).map(Number);
  const have = version.replace(/^v/, '').split('.').map((part) => Number.parseInt(part, 10) || 0);
  const older = wanted.findIndex((part, i) => (have[i] ?? 0) !== part);
  if (older < 0 || (have[older] ?? 0) > wanted[older]) return undefined;
  return `${PACKAGE.name} needs Node.js ${wanted.join('.')} or newer (engines: ${range}), but this Node-RED runs on Node.js ${version.replace(/^v/, '')}: upgrade Node.js and restart Node-RED.`;
}

const refused = unsupportedNode();
if (refused) throw new Error(refused);
