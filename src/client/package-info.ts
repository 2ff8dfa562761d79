import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** This package's name and version, read once from its package.json (which lies outside src/, so it is not imported). */
export const PACKAGE: { readonly name: string; readonly version: string } = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8'));
