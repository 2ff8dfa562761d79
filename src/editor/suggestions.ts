// Suggestions in the edit dialogs: every field a lookup can fill (found by its
// parameter name, in a dialog built from the catalogue or by hand) offers
// Comet's answers through Node-RED's own autoComplete widget while its type is
// text. The runtime answers the lookups (GET comet-config/<id>/lookup/<kind>,
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
    rules: ['projectMetrics'],
  };

  /**
   * The dialog fields each kind reads (blank ones are left out: the runtime
   * falls back to the config node's workspace). `needs`: a dialog without
   * that field shown is not one this kind applies to (a best-experiment
   * node's metric name has no experiment key to read metrics from).
   */
  const KINDS: Readonly<Record<string, { readonly reads: readonly string[]; readonly needs?: string; readonly route?: string }>> = {
    workspaces: { reads: [] },
    projects: { reads: ['workspace'] },
    experiments: { reads: ['projectId', 'projectName', 'workspace'] },
    models: { reads: ['workspace'] },
    experimentModels: { reads: ['experimentKey'], needs: 'experimentKey' },
    versions: { reads: ['modelName', 'workspace'], needs: 'modelName' },
    metrics: { reads: ['experimentKey'], needs: 'experimentKey' },
    // The metric watch's rules: the project's metric names, by the metrics route without an experiment key.
    projectMetrics: { reads: ['projectId', 'projectName', 'workspace'], route: 'metrics' },
  };

  /** Fields of one rule a line, each starting with a metric name (comet-metric-watch's rules). */
  const LINE_FIELDS = new Set(['rules']);

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

  /** A field's text; undefined when blank, hidden, or not of type text (a msg property says nothing here). */
  function textOf(field: JQuery): string | undefined {
    if (!isShown(field)) return undefined;
    const typed = field.hasClass('red-ui-typedInput');
    if (typed && field.typedInput('type') !== 'str') return undefined;
    const value = String((typed ? field.typedInput('value') : field.val()) ?? '').trim();
    return value || undefined;
  }

  function kindOf(dialog: Dialog, name: string): string | undefined {
    return (FIELDS[name] || []).find((kind) => {
      const needs = KINDS[kind].needs;
      return !needs || isShown(fieldOf(dialog, needs));
    });
  }

  function urlOf(dialog: Dialog, configId: string, name: string, kind: string): string {
    const query: string[] = [];
    for (const param of KINDS[kind].reads) {
      const value = textOf(fieldOf(dialog, param));
      if (value !== undefined) query.push(param + '=' + encodeURIComponent(value));
    }
    for (const [param, value] of Object.entries(EXTRA[name] || {})) query.push(param + '=' + encodeURIComponent(value));
    return 'comet-config/' + encodeURIComponent(configId) + '/lookup/' + (KINDS[kind].route ?? kind) + (query.length ? '?' + query.join('&') : '');
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
    if (suggestion.value !== suggestion.label) {
      $(`<span style="${ONE_LINE}; flex: 1 1 0; min-width: 4em; text-align: right; opacity: 0.6; font-size: 0.85em; font-family: var(--red-ui-monospace-font)">`)
        .text(suggestion.value)
        .appendTo(row);
    }
    return row;
  }

  /** A line that only tells something (deploy first, why Comet failed); choosing it leaves the field as typed. */
  function note(text: string, typed: string): Completion {
    const row = $(`<div style="${ONE_LINE}; font-style: italic">`).attr('title', text);
    row.append($('<i class="fa fa-info-circle">'), ' ', $('<span>').text(text));
    return { value: typed, label: row };
  }

  /** The suggestions whose label or value holds what was typed, those that start with it first. */
  function matching(list: readonly Suggestion[], typed: string): Completion[] {
    const wanted = typed.trim().toLowerCase();
    const found = list.filter((s) => s.label.toLowerCase().includes(wanted) || s.value.toLowerCase().includes(wanted));
    const starts = (s: Suggestion): number => (s.label.toLowerCase().startsWith(wanted) || s.value.toLowerCase().startsWith(wanted) ? 0 : 1);
    const shown = found
      .map((s, i) => ({ s, i }))
      .sort((a, b) => starts(a.s) - starts(b.s) || a.i - b.i)
      .slice(0, MAX_SHOWN)
      .map(({ s }) => ({ value: s.value, label: line(s, wanted) }));
    return found.length > MAX_SHOWN ? [...shown, note(shared('lookup.more', { count: found.length - MAX_SHOWN }), typed)] : shown;
  }

  /**
   * The autoComplete search of field `name`: nothing where no kind applies, a
   * note where none can be had. A field of one rule a line (LINE_FIELDS)
   * completes the metric its last line starts with, and keeps the other lines.
   */
  function searchOf(dialog: Dialog, name: string): AutoCompleteSearch {
    return (typed, done) => {
      const kind = kindOf(dialog, name);
      const byLine = LINE_FIELDS.has(name);
      const line = byLine ? typed.slice(typed.lastIndexOf('\n') + 1) : typed;
      // Past the metric name (a space after it): nothing more to suggest on this line.
      if (!kind || (byLine && /\S\s/.test(line))) return done([]);
      const head = typed.slice(0, typed.length - line.length);
      const inField = (list: Completion[]): Completion[] => (head ? list.map((c) => ({ ...c, value: head + c.value })) : list);
      const configId = dialog.configId();
      if (!configId) return done(inField([note(shared('lookup.chooseConfig'), line)]));
      ask(dialog, urlOf(dialog, configId, name, kind)).then(
        (list) => done(inField(matching(list, line))),
        (reason: unknown) => done(inField([note(String(reason), line)])),
      );
    };
  }

  /** Suggestions on a TypedInput while its type is text: Node-RED drops the widget whenever the type changes. */
  function whileText(field: JQuery, options: AutoCompleteOptions): void {
    const input = field.next('.red-ui-typedInput-container').find('input.red-ui-typedInput-input');
    const sync = (): void => {
      if (field.typedInput('type') === 'str' && !input.hasClass('red-ui-autoComplete')) input.autoComplete(options);
    };
    field.on('change', sync);
    sync();
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
    for (const name of Object.keys(FIELDS)) {
      const field = fieldOf(dialog, name);
      if (!field.length) continue;
      const options = { search: searchOf(dialog, name), minLength: 0 };
      if (field.hasClass('red-ui-typedInput')) whileText(field, options);
      else field.autoComplete(options);
    }
  }

  window.CometSuggestions = { attach, fields: FIELDS, kinds: KINDS };
})();
