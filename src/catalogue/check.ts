import { CometError } from '../client/errors';
import type { Translate } from '../client/translate';
import type { Values } from './call';
import type { ParamSet, ParamSpec } from './spec';
import { describe, hasControlCharacters } from '../text/format';

const MAX_TEXT = 4096;

/** A BAD_INPUT error naming the parameter and where to set it. */
export function inputError(t: Translate, endpoint: ParamSet, key: string, spec: ParamSpec, vars: Record<string, unknown> = {}): CometError {
  return CometError.badInput(t(key, { param: spec.name, label: t(`params.${spec.name}`), ...vars }), { endpoint: endpoint.path });
}

/** Checks one value against its parameter's kind and returns it normalised; throws a BAD_INPUT CometError. */
export function checkValue(t: Translate, endpoint: ParamSet, spec: ParamSpec, raw: unknown): unknown {
  const fail = (problem: string, vars: Record<string, unknown> = {}): never => {
    throw inputError(t, endpoint, 'errors.invalid', spec, { problem: t(`errors.problem.${problem}`, vars), got: describe(raw) });
  };
  switch (spec.kind) {
    case 'string':
    case 'enum':
    case 'filter': {
      if (typeof raw !== 'string' && !(typeof raw === 'number' && Number.isFinite(raw))) return fail('notText');
      const text = String(raw);
      if (text.length > MAX_TEXT) return fail('tooLong', { max: MAX_TEXT });
      // A filter may be written on several lines.
      if (hasControlCharacters(spec.kind === 'filter' ? text.replace(/[\r\n\t]/g, ' ') : text)) return fail('control');
      if (spec.in === 'path' && /[/\\]|^\.\.?$|\.\./.test(text)) return fail('pathLike');
      if (spec.kind === 'enum' && !spec.values?.includes(text)) return fail('notOneOf', { values: spec.values?.join(', ') });
      return text;
    }
    case 'integer': {
      const n = typeof raw === 'string' && /^\s*\d+\s*$/.test(raw) ? Number(raw) : raw;
      if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) return fail('notInteger');
      return n;
    }
    case 'boolean': {
      if (typeof raw === 'boolean') return raw;
      if (typeof raw === 'string' && /^(true|false)$/i.test(raw.trim())) return raw.trim().toLowerCase() === 'true';
      return fail('notBoolean');
    }
    case 'stringList': {
      let list: unknown = raw;
      if (typeof list === 'string') list = list.split(',').map((s) => s.trim()).filter(Boolean);
      // A previous node's whole answer carrying the list under this name, e.g. query project's.
      else if (list && typeof list === 'object' && !Array.isArray(list)) list = (list as Record<string, unknown>)[spec.name];
      if (!Array.isArray(list) || list.some((item) => typeof item !== 'string' || item === '' || item.length > MAX_TEXT)) return fail('notList');
      if (list.length === 0 && !spec.emptyAllowed) throw inputError(t, endpoint, 'errors.missing', spec);
      return list;
    }
    case 'jsonArray': {
      let value: unknown = raw;
      if (typeof value === 'string') {
        try {
          value = JSON.parse(value);
        } catch (err) {
          return fail('badJson', { reason: (err as Error).message });
        }
      }
      if (!Array.isArray(value)) return fail('notArray');
      return value;
    }
  }
}

/** One of the endpoint's one-of groups is complete, one of its any-of parameters given, and at most one exclusive parameter. */
export function checkAlternatives(t: Translate, endpoint: ParamSet, values: Values): void {
  const { oneOf, exclusive, anyOf } = endpoint;
  if (oneOf && !oneOf.some((group) => group.every((name) => values[name] !== undefined))) {
    const alternatives = oneOf.map((group) => group.join(' + ')).join(t('common.or'));
    throw CometError.badInput(t('errors.missingOneOf', { endpoint: endpoint.path, alternatives }), { endpoint: endpoint.path });
  }
  if (anyOf && !anyOf.some((name) => values[name] !== undefined)) {
    throw CometError.badInput(t('errors.missingOneOf', { endpoint: endpoint.path, alternatives: anyOf.join(t('common.or')) }), { endpoint: endpoint.path });
  }
  const given = exclusive?.filter((name) => values[name] !== undefined);
  if (given && given.length > 1) {
    throw CometError.badInput(t('errors.exclusive', { endpoint: endpoint.path, params: given.join(', ') }), { endpoint: endpoint.path });
  }
}
