/**
 * Looks up a message of the package's shared catalog by key. The client is
 * handed one by whoever makes it (the config node passes Node-RED's i18n),
 * so it never reads a locale file of its own.
 */
export type Translate = (key: string, vars?: Record<string, unknown>) => string;
