/**
 * What suggestions.ts uses of the browser world beyond node-red-editor.d.ts:
 * Node-RED's autoComplete widget (3.1+), the TypedInput's type, and jQuery's
 * ajax. Interfaces here merge with those of node-red-editor.d.ts.
 */

/** One suggestion as the runtime answers it. */
interface Suggestion {
  readonly value: string;
  readonly label: string;
  /** A filter column's source as written before its name (`metric`). */
  readonly source?: string;
}

/** One line of the autoComplete list: choosing it puts `value` in the field. */
interface Completion {
  readonly value: string;
  readonly label: string | JQuery;
}

type AutoCompleteSearch = (typed: string, done: (completions: Completion[]) => void) => void;

interface AutoCompleteOptions {
  readonly search: AutoCompleteSearch;
  /** 0: the list opens on any key, even with the field blank. */
  readonly minLength: number;
}

interface JQuery {
  autoComplete(options: AutoCompleteOptions): JQuery;
  toArray(): HTMLElement[];
  readonly [index: number]: HTMLElement | undefined;
  empty(): JQuery;
  show(): JQuery;
  css(name: string, value: string): JQuery;
  typedInput(method: 'type' | 'value'): unknown;
  hasClass(name: string): boolean;
  next(selector: string): JQuery;
  css(name: string): string;
}

/** What a failed $.ajax call gives its error callback. */
interface AjaxError {
  readonly status: number;
  readonly responseJSON?: { readonly error?: string };
}

/** jQuery's ajax, beside the `$` of node-red-editor.d.ts: Node-RED's own setup adds the login token to each call. */
declare namespace $ {
  function ajax(options: {
    url: string;
    dataType: 'json';
    headers: Record<string, string>;
    success: (data: unknown) => void;
    error: (xhr: AjaxError) => void;
  }): void;
}

/** What suggestions.ts gives the dialogs: `attach` in oneditprepare; the tables, for tests. */
interface CometSuggestionsApi {
  readonly attach: (node: EditedNode, config?: boolean) => void;
  readonly fields: Readonly<Record<string, readonly string[]>>;
  readonly kinds: Readonly<Record<string, { readonly reads: readonly string[]; readonly needs?: string }>>;
}

interface Window {
  CometSuggestions?: CometSuggestionsApi;
}

/** The part of a field's text a suggestion replaces: [start, end), what was typed of it, and a source typed before it (`metric.`). */
interface TextPart {
  readonly start: number;
  readonly end: number;
  readonly typed: string;
  readonly source?: string;
}

/** What text-parts.ts gives suggestions.ts. */
interface CometTextPartsApi {
  readonly partAt: (text: string, caret: number, mode: string | undefined) => TextPart | undefined;
  readonly fill: (text: string, part: TextPart, value: string, json: boolean) => string;
}

/** What filter-preview.ts gives suggestions.ts: a preview under a filter field, from the URL `url()` gives (undefined: nothing to show). */
interface CometFilterPreviewApi {
  readonly attach: (field: JQuery, input: JQuery, url: () => string | undefined, watched: readonly JQuery[]) => void;
}

interface Window {
  CometTextParts?: CometTextPartsApi;
  CometFilterPreview?: CometFilterPreviewApi;
}
