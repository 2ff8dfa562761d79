// Suggestions in the edit dialogs: every field a lookup can fill (found by its
// parameter name, or by its data-comet-lookup attribute, in a dialog built
// from the catalogue or by hand) offers Comet's answers through Node-RED's own
// autoComplete widget while its type is text (a list's: or JSON). A field's
// data-comet-list attribute says which part of its text a suggestion fills
// (text-parts.ts): a list's item, a line's first word, a filter's name; a
// filter field also shows what it compiles into (filter-preview.ts). The
// runtime answers (GET comet-config/<id>/lookup/<kind>, .../filter,
// src/node-red/lookups.ts), so the key never reaches the browser. Compiled
// into resources/comet-editor.js with comet-editor.ts; runs once.
(() => {
  if (window.CometSuggestions) return;

  const SHARED = '@flowml/node-red-comet/comet-config:';
  /** Shown at most; a longer list says how many more there are. */
  const MAX_SHOWN = 50;
  /** A text that keeps to one line, cut with an ellipsis where the list is too narrow. */
  const ONE_LINE = 'white-space: nowrap; overflow: hidden; text-overflow: ellipsis; min-width: 0';

  /**
   * Which lookups fill a field, by the field's (parameter's) name: the first
   * kind whose `needs` field the dialog shows applies. A model name is an
   * experiment's model where the dialog shows an experiment key, else a
   * registry model.
   */
  const FIELDS: Readonly<Record<string, readonly string[]>> = {
    workspace: ['workspaces'],
    projectName: ['projects'],
    projectId: ['projects'],
    experimentKey: ['experiments'],
    modelName: ['experimentModels', 'models'],
    version: ['versions'],
    metricName: ['metrics'],
    experimentKeys: ['experiments'],
    // A report's (and a watch's) project, else a chart's experiments.
    metrics: ['projectMetrics', 'listMetrics'],
    params: ['projectParams'],
    sortBy: ['projectMetrics'],
    filter: ['filterColumns'],
    // The metric watch's rules, one a line, each starting with a metric name.
    rules: ['projectMetrics'],
  };

  /** The fields that name a project. */
  const PROJECT = ['projectId', 'projectName', 'workspace'];

  /**
   * The dialog fields each kind reads (blank ones are left out: the runtime
   * falls back to the config node's workspace). `needs`: a dialog without
   * that field shown is not one this kind applies to (a best-experiment
   * node's metric name has no experiment key to read metrics from).
   */
  const KINDS: Readonly<Record<string, { readonly reads: readonly string[]; readonly needs?: string }>> = {
    workspaces: { reads: [] },
    projects: { reads: ['workspace'] },
    experiments: { reads: ['projectId', 'projectName', 'workspace'] },
    models: { reads: ['workspace'] },
    experimentModels: { reads: ['experimentKey'], needs: 'experimentKey' },
    versions: { reads: ['modelName', 'workspace'], needs: 'modelName' },
    metrics: { reads: ['experimentKey'], needs: 'experimentKey' },
    listMetrics: { reads: ['experimentKeys'], needs: 'experimentKeys' },
    projectMetrics: { reads: PROJECT, needs: 'projectName' },
    projectParams: { reads: PROJECT, needs: 'projectName' },
    filterColumns: { reads: PROJECT, needs: 'projectName' },
  };

  /** Which part of a catalogue field's text a suggestion fills, by its parameter's kind (a hand-made field says it in data-comet-list). */
  const PARTS: Readonly<Record<string, string>> = { stringList: 'comma', filter: 'expression' };

  /** What a field asks the runtime for besides the dialog's fields: a project id field wants ids. */
  const EXTRA: Readonly<Record<string, Readonly<Record<string, string>>>> = { projectId: { value: 'projectId' } };

  function shared(key: string, vars?: Record<string, unknown>): string {
    return RED._(SHARED + key, vars);
  }

  /** One open dialog: where its fields are, which config node it asks, and the answers it has had. */
  interface Dialog {
    readonly prefix: string;
    readonly configId: () => string | undefined;
    readonly answers: Map<string, Promise<Suggestion[]>>;
  }

  function fieldOf(dialog: Dialog, name: string): JQuery {
    return $('#' + dialog.prefix + '-' + name);
  }

  function isShown(field: JQuery): boolean {
    return field.length > 0 && field.closest('.form-row').css('display') !== 'none';
  }

  /** Whether a TypedInput's type holds text typed in the dialog: text, and a list's JSON. */
  function isLiteral(field: JQuery): boolean {
    const type = field.typedInput('type');
    return type === 'str' || (type === 'json' && field.attr('data-comet-list') === 'comma');
  }

  /** A field's text; undefined when blank, hidden, or not typed in the dialog (a msg property says nothing here). */
  function textOf(field: JQuery): string | undefined {
    if (!isShown(field)) return undefined;
    const typed = field.hasClass('red-ui-typedInput');
    if (typed && !isLiteral(field)) return undefined;
    const value = String((typed ? field.typedInput('value') : field.val()) ?? '').trim();
    return value || undefined;
  }

  /** The kinds that may fill a field: its data-comet-lookup attribute's (space-separated), else FIELDS's for its name. */
  function kindsOf(dialog: Dialog, name: string): readonly string[] {
    const own = fieldOf(dialog, name).attr('data-comet-lookup');
    return own ? own.split(/\s+/).filter((kind) => KINDS[kind]) : FIELDS[name] || [];
  }

  function kindOf(dialog: Dialog, name: string): string | undefined {
    return kindsOf(dialog, name).find((kind) => {
      const needs = KINDS[kind].needs;
      return !needs || isShown(fieldOf(dialog, needs));
    });
  }

  /** The query of the dialog fields `reads`, and of `extra`. */
  function queryOf(dialog: Dialog, reads: readonly string[], extra: Readonly<Record<string, string>>): string[] {
    const query: string[] = [];
    for (const param of reads) {
      const value = textOf(fieldOf(dialog, param));
      if (value !== undefined) query.push(param + '=' + encodeURIComponent(value));
    }
    for (const [param, value] of Object.entries(extra)) query.push(param + '=' + encodeURIComponent(value));
    return query;
  }

  function urlOf(dialog: Dialog, configId: string, name: string, kind: string): string {
    const query = queryOf(dialog, KINDS[kind].reads, EXTRA[name] || {});
    return 'comet-config/' + encodeURIComponent(configId) + '/lookup/' + kind + (query.length ? '?' + query.join('&') : '');
  }

  /** The runtime's suggestions, once per URL while the dialog is open; a failure rejects with its one-line reason. */
  function ask(dialog: Dialog, url: string): Promise<Suggestion[]> {
    let answer = dialog.answers.get(url);
    if (!answer) {
      answer = new Promise<Suggestion[]>((resolve, reject) => {
        $.ajax({
          url,
          dataType: 'json',
          headers: { Accept: 'application/json' },
          success: (list: unknown) => resolve(Array.isArray(list) ? (list as Suggestion[]) : []),
          error: (xhr: AjaxError) => reject(xhr.responseJSON?.error || shared('lookup.unreachable', { status: xhr.status })),
        });
      });
      dialog.answers.set(url, answer);
    }
    return answer;
  }

  /** A suggestion's line: its label with the typed part in bold, and its value beside it where that differs. */
  function line(suggestion: Suggestion, typed: string): JQuery {
    const row = $('<div style="display: flex; align-items: baseline; gap: 12px">');
    const label = $(`<span style="${ONE_LINE}; flex: 0 1 auto">`).appendTo(row);
    const at = typed ? suggestion.label.toLowerCase().indexOf(typed.toLowerCase()) : -1;
    if (at < 0) label.text(suggestion.label);
    else {
      label.append($('<span>').text(suggestion.label.slice(0, at)));
      label.append($('<span style="font-weight: bold; color: var(--red-ui-text-color-link)">').text(suggestion.label.slice(at, at + typed.length)));
      label.append($('<span>').text(suggestion.label.slice(at + typed.length)));
    }
    // Beside the label where it says more than the label (a key; a filter's metric.lr), not a name labelled with its source.
    if (suggestion.value !== suggestion.label && !suggestion.label.startsWith(suggestion.value + ' · ')) {
      $(`<span style="${ONE_LINE}; flex: 1 1 0; min-width: 4em; text-align: right; opacity: 0.6; font-size: 0.85em; font-family: var(--red-ui-monospace-font)">`)
        .text(suggestion.value)
        .appendTo(row);
    }
    return row;
  }

  /** A line that only tells something (deploy first, why Comet failed); choosing it leaves the field as it is (`text`). */
  function note(message: string, text: string): Completion {
    const row = $(`<div style="${ONE_LINE}; font-style: italic">`).attr('title', message);
    row.append($('<i class="fa fa-info-circle">'), ' ', $('<span>').text(message));
    return { value: text, label: row };
  }

  /**
   * The suggestions whose label or value holds what was typed, those that
   * start with it first; choosing one puts `filled(value)` in the field.
   */
  function matching(list: readonly Suggestion[], typed: string, filled: (value: string) => string, text: string): Completion[] {
    const wanted = typed.trim().toLowerCase();
    const found = list.filter((s) => s.label.toLowerCase().includes(wanted) || s.value.toLowerCase().includes(wanted));
    const starts = (s: Suggestion): number => (s.label.toLowerCase().startsWith(wanted) || s.value.toLowerCase().startsWith(wanted) ? 0 : 1);
    const shown = found
      .map((s, i) => ({ s, i }))
      .sort((a, b) => starts(a.s) - starts(b.s) || a.i - b.i)
      .slice(0, MAX_SHOWN)
      .map(({ s }) => ({ value: filled(s.value), label: line(s, wanted) }));
    return found.length > MAX_SHOWN ? [...shown, note(shared('lookup.more', { count: found.length - MAX_SHOWN }), text)] : shown;
  }

  /** Where a field is typed in: a TypedInput's visible input, or the field itself. */
  function inputOf(field: JQuery): JQuery {
    return field.hasClass('red-ui-typedInput') ? field.next('.red-ui-typedInput-container').find('input.red-ui-typedInput-input') : field;
  }

  /**
   * The autoComplete search of field `name`: the part of its text at the
   * caret (text-parts.ts) matched against the lookup's answer; nothing where
   * no kind applies, a note where none can be had.
   */
  function searchOf(dialog: Dialog, name: string): AutoCompleteSearch {
    return (text, done) => {
      const field = fieldOf(dialog, name);
      const kind = kindOf(dialog, name);
      const parts = window.CometTextParts as CometTextPartsApi;
      const element = inputOf(field)[0] as HTMLInputElement | undefined;
      const part = parts.partAt(text, element?.selectionStart ?? text.length, field.attr('data-comet-list'));
      if (!kind || !part) return done([]);
      const configId = dialog.configId();
      if (!configId) return done([note(shared('lookup.chooseConfig'), text)]);
      const json = field.hasClass('red-ui-typedInput') && field.typedInput('type') === 'json';
      const filled = (value: string): string => parts.fill(text, part, value, json);
      ask(dialog, urlOf(dialog, configId, name, kind)).then(
        (list) => done(matching(part.source ? list.filter((s) => s.source === part.source) : list, part.typed, filled, text)),
        (reason: unknown) => done([note(String(reason), text)]),
      );
    };
  }

  /** Suggestions on a TypedInput while its type is typed in the dialog: Node-RED drops the widget whenever the type changes. */
  function whileText(field: JQuery, options: AutoCompleteOptions): void {
    const input = inputOf(field);
    const sync = (): void => {
      if (isLiteral(field) && !input.hasClass('red-ui-autoComplete')) input.autoComplete(options);
    };
    field.on('change', sync);
    sync();
  }

  /** The filter preview's URL: the field's text (while text) and the dialog's project; undefined while there is nothing to ask. */
  function previewUrl(dialog: Dialog, name: string): string | undefined {
    const field = fieldOf(dialog, name);
    const configId = dialog.configId();
    const text = field.typedInput('type') === 'str' ? String(inputOf(field).val() ?? '') : '';
    if (!configId || !text.trim()) return undefined;
    const query = queryOf(dialog, PROJECT, { filter: text });
    return 'comet-config/' + encodeURIComponent(configId) + '/filter?' + query.join('&');
  }

  /**
   * Gives every field of the open dialog that a lookup can fill its
   * suggestions. `config`: the dialog is the config node's own (its fields are
   * node-config-input-*, and it asks itself).
   */
  function attach(node: EditedNode, config = false): void {
    const prefix = config ? 'node-config-input' : 'node-input';
    const configId = (): string | undefined => {
      const id = String((config ? node.id : $('#node-input-server').val()) ?? '');
      return id && id !== '_ADD_' ? id : undefined;
    };
    const dialog: Dialog = { prefix, configId, answers: new Map() };
    // A catalogue node's fields say which part of their text a suggestion fills, as hand-made ones do.
    const operations = window.CometCatalogue?.[String(node.type)]?.operations || {};
    for (const param of Object.values(operations).flatMap((endpoint) => [...endpoint.params, ...(endpoint.options || [])])) {
      if (PARTS[param.kind]) fieldOf(dialog, param.name).attr('data-comet-list', PARTS[param.kind]);
    }
    const ownKinds = $('[id^="' + prefix + '-"][data-comet-lookup]')
      .toArray()
      .map((element) => element.id.slice(prefix.length + 1));
    for (const name of new Set([...Object.keys(FIELDS), ...ownKinds])) {
      const field = fieldOf(dialog, name);
      if (!field.length) continue;
      const options = { search: searchOf(dialog, name), minLength: 0 };
      if (field.hasClass('red-ui-typedInput')) whileText(field, options);
      else field.autoComplete(options);
      if (field.attr('data-comet-list') === 'expression') {
        const project = [$('#node-input-server'), ...PROJECT.map((param) => fieldOf(dialog, param))];
        (window.CometFilterPreview as CometFilterPreviewApi).attach(field, inputOf(field), () => previewUrl(dialog, name), project);
      }
    }
  }

  window.CometSuggestions = { attach, fields: FIELDS, kinds: KINDS };
})();
