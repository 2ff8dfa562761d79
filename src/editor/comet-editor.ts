// The editor side of the nodes: every API node's defaults, label and dialog
// fields come from the endpoint catalogue (resources/catalogue.js), so a
// node's HTML (written by scripts/build-editor.js) only names its type; the
// download node's output rows and the package's small shared pieces are here
// too (the fields' suggestions: suggestions.ts). Browser scripts, compiled
// together into resources/comet-editor.js (tsconfig.editor.json); runs once.
(() => {
  if (window.CometEditor) return;

  const MODULE = '@flowml/node-red-comet';
  const SHARED = MODULE + '/comet-config:';
  const CONTEXT = ['msg', 'flow', 'global', 'env', 'jsonata'];
  /** TypedInput types offered per parameter kind; the first is the default. */
  const TYPES: Record<EditorParam['kind'], string[]> = {
    string: ['str', ...CONTEXT],
    enum: ['str', ...CONTEXT],
    integer: ['num', 'str', ...CONTEXT],
    boolean: ['bool', 'str', ...CONTEXT],
    stringList: ['json', 'str', ...CONTEXT],
    jsonArray: ['json', ...CONTEXT],
    filter: ['str', ...CONTEXT],
  };
  /** Blank, or a size: 268435456, 256M, 256 MiB, 1.5G, 500MB. */
  const SIZE = /^\s*$|^\s*\d+(\.\d+)?\s*(b|[kmgt]|[kmgt]i?b)?\s*$/i;
  const COUNT = /^\s*\d*\s*$/;
  /** The rows every dialog shares: field and icon; the label is the shared catalog's common.label.<field>. */
  const SHARED_ROWS: Record<string, [string, string] | undefined> = { 'comet-server-row': ['server', 'fa-cloud'], 'comet-name-row': ['name', 'fa-tag'] };
  const CHECKBOX = 'display: inline-block; width: auto; vertical-align: top';

  function operationsOf(type: string): Readonly<Record<string, EditorEndpoint>> {
    return window.CometCatalogue[type].operations;
  }

  /** An operation's fields: its parameters, then its options. */
  function inputsOf(endpoint: EditorEndpoint): readonly EditorParam[] {
    return [...endpoint.params, ...(endpoint.options || [])];
  }

  /** Every field of every operation of a node type, once each, in catalogue order. */
  function paramsOf(type: string): EditorParam[] {
    const byName = new Map<string, EditorParam>();
    for (const endpoint of Object.values(operationsOf(type))) {
      for (const param of inputsOf(endpoint)) if (!byName.has(param.name)) byName.set(param.name, param);
    }
    return [...byName.values()];
  }

  function shared(key: string, vars?: Record<string, unknown>): string {
    return RED._(SHARED + key, vars);
  }

  function own(type: string, key: string): string {
    return RED._(MODULE + '/' + type + ':' + type + '.' + key);
  }

  function operationLabel(type: string, operation: string): string {
    return own(type, 'operations.' + operation);
  }

  /** The defaults: server, operation, each parameter (blank is valid, whatever its TypedInput's type: it reads msg) and its type. */
  function defaults(type: string): Record<string, NodeProperty> {
    const result: Record<string, NodeProperty> = {
      name: { value: '' },
      server: { value: '', type: 'comet-config', required: true },
      operation: { value: Object.keys(operationsOf(type))[0], required: true },
    };
    for (const param of paramsOf(type)) {
      result[param.name] = { value: '', required: false };
      result[param.name + 'Type'] = { value: TYPES[param.kind][0] };
    }
    return result;
  }

  function paletteLabel(type: string): () => string {
    return () => own(type, 'paletteLabel');
  }

  /** "get experiment: metrics summary", or the node's name. */
  function label(type: string): (this: EditedNode) => string {
    return function (this: EditedNode) {
      if (this.name) return this.name;
      const operations = Object.keys(operationsOf(type));
      const op = operations.length > 1 ? this.operation : null;
      return own(type, 'paletteLabel') + (op ? ': ' + operationLabel(type, op) : '');
    };
  }

  function labelStyle(this: EditedNode): string {
    return this.name ? 'node_label_italic' : '';
  }

  /** Which one-of group of the operation a parameter is part of; -1: none. */
  function groupOf(endpoint: EditorEndpoint, name: string): number {
    return (endpoint.oneOf || []).findIndex((group) => group.includes(name));
  }

  /** A dialog row: icon, label from the shared catalog, and the input. */
  function formRow(name: string, icon: string, input: JQuery): JQuery {
    const row = $('<div class="form-row">');
    $('<label>')
      .attr('for', 'node-input-' + name)
      .append($('<i class="fa">').addClass(icon), ' ', $('<span>').text(shared('common.label.' + name)))
      .appendTo(row);
    return row.append(input.attr('id', 'node-input-' + name));
  }

  /** The value of a node property as a field shows it: blank when absent. */
  function shownValue(node: EditedNode, name: string): unknown {
    return node[name] === undefined ? '' : node[name];
  }

  /** A parameter's row: its label and mark, and a TypedInput of the types its kind allows. */
  function paramRow(node: EditedNode, param: EditorParam, container: JQuery): void {
    const row = $('<div class="form-row comet-param">').attr('data-param', param.name).appendTo(container);
    $('<label>')
      .attr('for', 'node-input-' + param.name)
      .append($('<span class="comet-param-label">').text(shared('params.' + param.name)))
      .append($('<span class="comet-param-mark">'))
      .appendTo(row);
    const input = $('<input type="text" style="width:70%">')
      .attr('id', 'node-input-' + param.name)
      .val(shownValue(node, param.name))
      .appendTo(row);
    const typeField = $('<input type="hidden">')
      .attr('id', 'node-input-' + param.name + 'Type')
      .val(node[param.name + 'Type'] || TYPES[param.kind][0])
      .appendTo(row);
    const types: (string | TypedInputType)[] = TYPES[param.kind].slice();
    if (param.kind === 'enum') {
      types[0] = { value: 'str', label: 'string', options: [{ value: '', label: shared('common.fromMsg', { name: param.name }) }, ...(param.values || [])] };
    }
    input.typedInput({ types, typeField });
    input.typedInput('value', shownValue(node, param.name));
    const hint = param.name === 'workspace' ? shared('common.orDefaultWorkspace') : shared('common.fromMsg', { name: param.name });
    row.find('.red-ui-typedInput-input input').attr('placeholder', hint);
  }

  /** Shows exactly the rows of the chosen operation, required ones marked, one-of alternatives numbered. */
  function showOperation(endpoint: EditorEndpoint, container: JQuery): void {
    const wanted = new Map(inputsOf(endpoint).map((p) => [p.name, p]));
    container.find('.comet-param').each(function () {
      const row = $(this);
      const name = row.attr('data-param') || '';
      const param = wanted.get(name);
      row.toggle(!!param);
      if (!param) return;
      const group = groupOf(endpoint, name);
      const mark = group >= 0 ? ' (' + shared('common.alternative', { n: group + 1 }) + ')' : param.required ? ' *' : '';
      const title = group >= 0 ? shared('common.oneOf') : param.required ? shared('common.required') : '';
      row.find('.comet-param-mark').text(mark).attr('title', title);
    });
  }

  /**
   * Fills the dialog: the operation select, then one row per parameter with a
   * TypedInput; switching the operation shows exactly that operation's rows.
   * A template that has only the server row gets the operation and name rows
   * made here.
   */
  function prepare(node: EditedNode, type: string): void {
    const operations = operationsOf(type);
    const container = $('#comet-params');
    if (!$('#node-input-operation').length) formRow('operation', 'fa-wrench', $('<select style="width:70%">')).insertBefore(container);
    if (!$('#node-input-name').length) formRow('name', 'fa-tag', $('<input type="text">').val(node.name || '')).insertAfter(container);
    const select = $('#node-input-operation');
    const names = Object.keys(operations);
    for (const op of names) $('<option>').val(op).text(operationLabel(type, op)).appendTo(select);
    select.val(node.operation || names[0]);
    if (names.length === 1) select.closest('.form-row').hide();

    for (const param of paramsOf(type)) paramRow(node, param, container);
    const show = () => showOperation(operations[String(select.val())] || operations[names[0]], container);
    select.on('change', show);
    show();
  }

  /** The attributes of a row tag: `field="x" placeholder` gives { field: 'x', placeholder: '' }. */
  function attributesOf(text: string): RowTag {
    const attributes: Record<string, string> = {};
    for (const [, name, value] of text.matchAll(/([\w-]+)(?:="([^"]*)")?/g)) attributes[name] = value || '';
    return attributes;
  }

  /** A row's field itself, and its unit or its checkbox's own label. */
  function control(type: string, id: string, tag: RowTag, width: string): string[] {
    const style = width ? ` style="width: ${width}"` : '';
    switch (tag.input || 'text') {
      case 'checkbox':
        return [`<input type="checkbox" id="${id}" style="${CHECKBOX}" />`, `<label for="${id}" style="width: auto" data-i18n="${tag.text}"></label>`];
      case 'select':
        return [`<select id="${id}"${style}></select>`];
      default: {
        const hint = tag.placeholder === undefined ? '' : ` data-i18n="[placeholder]${type}.placeholder.${tag.field}"`;
        const suggest = `${tag.lookup ? ` data-comet-lookup="${tag.lookup}"` : ''}${tag.list ? ` data-comet-list="${tag.list}"` : ''}`;
        const unit = tag.unit ? [`<span data-i18n="${type}.label.${tag.unit}"></span>`] : [];
        return [tag.input === 'textarea' ? `<textarea id="${id}" rows="5"${style}${hint}${suggest}></textarea>` : `<input type="${tag.input || 'text'}" id="${id}"${style}${hint}${suggest} />`, ...unit];
      }
    }
  }

  /** The HTML of one row tag of `type`'s dialog; `prefix`: node-input, or node-config-input in a config node's. */
  function rowHtml(type: string, name: string, tag: RowTag, prefix: string): string {
    const sharedRow = SHARED_ROWS[name];
    const field = sharedRow ? sharedRow[0] : tag.field;
    if (!field || !(sharedRow || tag.icon)) throw new Error(`${type}: <${name}> needs a field and an icon`);
    const id = prefix + '-' + field;
    const labelKey = sharedRow ? SHARED + 'common.label.' + field : type + '.label.' + field;
    const fieldLines = sharedRow ? [`<input type="text" id="${id}" />`] : control(type, id, tag, tag.width ?? (prefix === 'node-input' ? '70%' : ''));
    return [
      `<div class="form-row${tag.class ? ' ' + tag.class : ''}">`,
      `  <label for="${id}"><i class="fa ${sharedRow ? sharedRow[1] : tag.icon}"></i> <span data-i18n="${labelKey}"></span></label>`,
      ...fieldLines.map((line) => '  ' + line),
      '</div>',
    ].join('\n');
  }

  /**
   * A dialog template's text with its row tags replaced by their rows, so the
   * rows every dialog has are made here only. Tags: <comet-server-row />,
   * <comet-name-row />, and <comet-row field icon [input=text|password|
   * select|checkbox|textarea] [width] [placeholder] [unit] [text] [class] [lookup] [list] />: label
   * <type>.label.<field>, placeholder <type>.placeholder.<field>, unit
   * <type>.label.<unit>, text (a checkbox's own label) a message key; lookup and list
   * the field's suggestions (data-comet-lookup, data-comet-list: suggestions.ts); width
   * 70%, but a config node's fields (`config`) keep Node-RED's.
   */
  function expandTags(text: string, type: string, config = false): string {
    const prefix = config ? 'node-config-input' : 'node-input';
    return text.replace(/<(comet-row|comet-server-row|comet-name-row)\b([^>]*?)\s*\/>/g, (_, name: string, attributes: string) =>
      rowHtml(type, name, attributesOf(attributes), prefix)
    );
  }

  /** Writes the rows of the row tags into `type`'s template, before Node-RED first builds the dialog from it. */
  function expandRows(type: string, config = false): void {
    const template = document.querySelector(`script[data-template-name="${type}"]`);
    if (template && template.textContent) template.textContent = expandTags(template.textContent, type, config);
  }

  /** The download node's output select, and the rows that belong to one output mode only. */
  function prepareDownloadOutput(node: EditedNode): void {
    const output = $('#node-input-output');
    for (const mode of ['buffer', 'file', 'extract']) {
      $('<option>').val(mode).text(node._('comet-download-model.output.' + mode)).appendTo(output);
    }
    output.val(node.output || 'buffer');
    const showOutput = () => {
      const mode = output.val();
      $('.comet-download-to-disk').toggle(mode !== 'buffer');
      $('.comet-download-buffer').toggle(mode === 'buffer');
      $('.comet-download-extract').toggle(mode === 'extract');
      $('#node-input-path').attr('placeholder', node._('comet-download-model.placeholder.' + (mode === 'extract' ? 'extract' : 'file')));
    };
    output.on('change', showOutput);
    showOutput();
  }

  /**
   * A watch node's dialog: its "Remember in" select offers the context stores
   * of settings.js (contextStorage), blank for the default store (and keeps a
   * store the settings no longer list), and its interval gets a spinner.
   */
  function prepareWatch(node: EditedNode, type: string): void {
    const select = $('#node-input-store');
    const context = RED.settings.context || {};
    const stores = context.stores || [];
    const chosen = typeof node.store === 'string' ? node.store : '';
    $('<option>')
      .val('')
      .text(node._(type + '.store.default') + (context.default ? ' (' + context.default + ')' : ''))
      .appendTo(select);
    for (const store of chosen && !stores.includes(chosen) ? [...stores, chosen] : stores) $('<option>').val(store).text(store).appendTo(select);
    select.val(chosen);
    $('#node-input-interval').spinner({ min: 1 });
  }

  /** Blank or absent (a flow written by hand) means the default. */
  const sizeOrBlank = (value: unknown): boolean => value === undefined || SIZE.test(String(value));
  const countOrBlank = (value: unknown): boolean => value === undefined || COUNT.test(String(value));

  window.CometEditor = {
    defaults,
    paletteLabel,
    label,
    labelStyle,
    prepare,
    prepareDownloadOutput,
    prepareWatch,
    expandTags,
    expandRows,
    sizeOrBlank,
    countOrBlank,
    color: '#F4A261',
    category: 'Comet ML',
  };
})();
