import type { Call } from '../client/client';
import type { EndpointSpec, ParamSpec } from './spec';

/** Values of one msg, checked and normalised, by parameter name. */
export type Values = Record<string, unknown>;

/** The name Comet gives a parameter on the wire. */
export function wireName(param: ParamSpec): string {
  return param.apiName ?? param.name;
}

/** Where a parameter goes on the wire. */
export function placeOf(param: ParamSpec, endpoint: EndpointSpec): 'query' | 'body' | 'path' {
  return param.in ?? (endpoint.method === 'POST' ? 'body' : 'query');
}

/** What an endpoint without one-of groups leaves out: nothing. */
const NONE_LEFT: ReadonlySet<string> = new Set();

/**
 * The request for checked values: only the first complete one-of group is
 * sent (with the parameters outside every group), path parameters are
 * filled in, the rest go to the query (GET) or the JSON body (POST).
 */
export function buildCall(endpoint: EndpointSpec, values: Values): Call {
  const chosen = endpoint.oneOf?.find((group) => group.every((name) => values[name] !== undefined));
  const left = endpoint.oneOf ? new Set(endpoint.oneOf.flat().filter((name) => !chosen?.includes(name))) : NONE_LEFT;
  const query: Record<string, string> = {};
  // A GET sends no body: what would go there is left out.
  const body: Record<string, unknown> | undefined = endpoint.method === 'POST' ? {} : undefined;
  const subject: Record<string, unknown> = {};
  let path = endpoint.path;
  for (const spec of endpoint.params) {
    const value = values[spec.name];
    if (value === undefined || left.has(spec.name)) continue;
    if (typeof value === 'string' || typeof value === 'number') subject[spec.name] = value;
    const place = placeOf(spec, endpoint);
    if (place === 'path') path = path.replace(`{${spec.name}}`, encodeURIComponent(String(value)));
    else if (place === 'query') query[wireName(spec)] = String(value);
    else if (body) body[wireName(spec)] = value;
  }
  return {
    endpoint: endpoint.path,
    method: endpoint.method,
    path,
    query,
    body,
    subject,
  };
}
