/**
 * The parts of the browser world the editor script uses: Node-RED's editor
 * API (RED), its jQuery ($, with the TypedInput widget), and the endpoint
 * catalogue that resources/catalogue.js puts on window. Only what
 * comet-editor.ts calls is declared; @types/jquery is left out on purpose
 * (tsconfig.editor.json: types []), so a call outside this list is an error.
 */

/** What the editor needs of a catalogue parameter (src/catalogue/spec.ts has the whole entry). */
interface EditorParam {
  readonly name: string;
  readonly kind: 'string' | 'integer' | 'boolean' | 'enum' | 'stringList' | 'jsonArray' | 'filter';
  readonly required?: boolean;
  readonly values?: readonly string[];
}

interface EditorEndpoint {
  readonly params: readonly EditorParam[];
  /** Node options of the operation (shape): fields like its parameters, never sent to Comet. */
  readonly options?: readonly EditorParam[];
  readonly oneOf?: readonly (readonly string[])[];
}

interface EditorNodeSpec {
  readonly operations: Readonly<Record<string, EditorEndpoint>>;
}

/** A node's property definition, as registerType's `defaults` holds it. */
interface NodeProperty {
  value: unknown;
  required?: boolean;
  type?: string;
  validate?: (value: unknown) => boolean;
}

/** The node being edited, as Node-RED passes it to label and oneditprepare (`this`). */
interface EditedNode {
  readonly name?: string;
  readonly operation?: string;
  readonly [property: string]: unknown;
  _(key: string, vars?: Record<string, unknown>): string;
}

interface TypedInputType {
  value: string;
  label?: string;
  options?: readonly (string | { value: string; label: string })[];
}

interface TypedInputOptions {
  types: readonly (string | TypedInputType)[];
  typeField: JQuery;
}

interface JQuery {
  readonly length: number;
  append(...content: (JQuery | string)[]): JQuery;
  appendTo(target: JQuery): JQuery;
  insertBefore(target: JQuery): JQuery;
  insertAfter(target: JQuery): JQuery;
  addClass(name: string): JQuery;
  attr(name: string): string | undefined;
  attr(name: string, value: string): JQuery;
  text(value: string): JQuery;
  val(): unknown;
  val(value: unknown): JQuery;
  find(selector: string): JQuery;
  closest(selector: string): JQuery;
  each(fn: (this: HTMLElement, index: number) => void): JQuery;
  hide(): JQuery;
  toggle(show: boolean): JQuery;
  on(event: string, handler: () => void): JQuery;
  typedInput(options: TypedInputOptions): JQuery;
  typedInput(method: 'value', value: unknown): JQuery;
  spinner(options: { min: number }): JQuery;
}

declare function $(selectorOrHtml: string | HTMLElement): JQuery;

declare const RED: {
  /** A message of a catalog: `module/catalog:key`. */
  _(key: string, vars?: Record<string, unknown>): string;
  /** The runtime's settings the editor sees: `context`, the context stores of settings.js (contextStorage). */
  readonly settings: { readonly context?: { readonly default?: string; readonly stores?: readonly string[] } };
};

/** The attributes of a row tag of a dialog template (see expandTags in comet-editor.ts); a flag is ''. */
interface RowTag {
  readonly field?: string;
  readonly icon?: string;
  readonly input?: string;
  readonly width?: string;
  readonly placeholder?: string;
  readonly unit?: string;
  readonly text?: string;
  readonly class?: string;
  /** Lookup kinds that suggest the field's values (data-comet-lookup), space-separated. */
  readonly lookup?: string;
  /** Which part of the field's text a suggestion fills (data-comet-list): comma, line or expression. */
  readonly list?: string;
}

/** What comet-editor.ts gives the nodes' HTML. */
interface CometEditorApi {
  readonly defaults: (type: string) => Record<string, NodeProperty>;
  readonly paletteLabel: (type: string) => () => string;
  readonly label: (type: string) => (this: EditedNode) => string;
  readonly labelStyle: (this: EditedNode) => string;
  readonly prepare: (node: EditedNode, type: string) => void;
  readonly prepareDownloadOutput: (node: EditedNode) => void;
  readonly prepareWatch: (node: EditedNode, type: string) => void;
  readonly expandTags: (text: string, type: string, config?: boolean) => string;
  readonly expandRows: (type: string, config?: boolean) => void;
  readonly sizeOrBlank: (value: unknown) => boolean;
  readonly countOrBlank: (value: unknown) => boolean;
  readonly color: string;
  readonly category: string;
}

interface Window {
  /** Written by resources/catalogue.js. */
  CometCatalogue: Readonly<Record<string, EditorNodeSpec>>;
  CometEditor?: CometEditorApi;
}
