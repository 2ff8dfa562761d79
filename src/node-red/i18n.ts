import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { PACKAGE } from '../client/package-info';
import type { Translate } from '../client/translate';

/** Node-RED's namespace of the shared catalog: "<module>/<node set>". */
const SHARED_NAMESPACE = `${PACKAGE.name}/comet-config`;

interface NodeRedI18n {
  _(key: string, vars?: Record<string, unknown>): string;
}

/** Messages through Node-RED's i18n, so they follow the runtime's language. */
export function nodeRedTranslate(RED: NodeRedI18n): Translate {
  return (key, vars) => RED._(`${SHARED_NAMESPACE}:${key}`, vars);
}

/**
 * The English catalog read directly, for code that runs without a Node-RED
 * runtime (the client used on its own, benchmarks). Same `__name__` syntax.
 */
export function catalogTranslate(): Translate {
  const catalog = JSON.parse(readFileSync(join(__dirname, '..', 'locales', 'en-US', 'comet-config.json'), 'utf8'));
  return (key, vars = {}) => {
    const template = key.split('.').reduce<unknown>((node, part) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined), catalog);
    if (typeof template !== 'string') return key;
    return template.replace(/__(\w+?)__/g, (_, name: string) => (name in vars ? String(vars[name]) : ''));
  };
}
