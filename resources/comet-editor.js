/* global RED, $ */
// The editor side of every API node: its defaults, label and dialog fields
// come from the endpoint catalogue (resources/catalogue.js), so a node's HTML
// only names its type. Loaded by each node's HTML; runs once.
(function () {
  'use strict';
  if (window.CometEditor) return;

  var MODULE = '@flowml/node-red-comet';
  var SHARED = MODULE + '/comet-config:';
  var CONTEXT = ['msg', 'flow', 'global', 'env', 'jsonata'];
  /** TypedInput types offered per parameter kind; the first is the default. */
  var TYPES = {
    string: ['str'].concat(CONTEXT),
    enum: ['str'].concat(CONTEXT),
    integer: ['num', 'str'].concat(CONTEXT),
    boolean: ['bool', 'str'].concat(CONTEXT),
    stringList: ['json', 'str'].concat(CONTEXT),
    jsonArray: ['json'].concat(CONTEXT),
  };

  function operationsOf(type) {
    return window.CometCatalogue[type].operations;
  }

  /** Every parameter of every operation of a node type, once each, in catalogue order. */
  function paramsOf(type) {
    var seen = {};
    var list = [];
    $.each(operationsOf(type), function (_, endpoint) {
      endpoint.params.forEach(function (param) {
        if (!seen[param.name]) {
          seen[param.name] = param;
          list.push(param);
        }
      });
    });
    return list;
  }

  function shared(key, vars) {
    return RED._(SHARED + key, vars);
  }

  function own(type, key) {
    return RED._(MODULE + '/' + type + ':' + type + '.' + key);
  }

  function operationLabel(type, operation) {
    return own(type, 'operations.' + operation);
  }

  /** The node's defaults: server, operation, each parameter and its TypedInput type. */
  function defaults(type, extra) {
    var result = {
      name: { value: '' },
      server: { value: '', type: 'comet-config', required: true },
      operation: { value: Object.keys(operationsOf(type))[0], required: true },
    };
    paramsOf(type).forEach(function (param) {
      result[param.name] = { value: '' };
      result[param.name + 'Type'] = { value: TYPES[param.kind][0] };
    });
    return $.extend(result, extra || {});
  }

  /** "get experiment: metrics summary", or the node's name. */
  function label(type) {
    return function () {
      if (this.name) return this.name;
      var operations = Object.keys(operationsOf(type));
      var op = operations.length > 1 ? this.operation : null;
      return own(type, 'paletteLabel') + (op ? ': ' + operationLabel(type, op) : '');
    };
  }

  /** Whether a parameter is part of a one-of group of the operation. */
  function groupOf(endpoint, name) {
    var groups = endpoint.oneOf || [];
    for (var i = 0; i < groups.length; i++) if (groups[i].indexOf(name) >= 0) return i;
    return -1;
  }

  /** A dialog row: icon, label from the shared catalog, and the input. */
  function formRow(name, icon, input) {
    var row = $('<div class="form-row">');
    $('<label>').attr('for', 'node-input-' + name).append($('<i class="fa">').addClass(icon), ' ', $('<span>').text(shared('common.label.' + name))).appendTo(row);
    return row.append(input.attr('id', 'node-input-' + name));
  }

  /**
   * Fills the dialog: the operation select, then one row per parameter with a
   * TypedInput; switching the operation shows exactly that operation's rows,
   * required ones marked, one-of alternatives grouped. A template that has
   * only the server row gets the operation and name rows made here.
   */
  function prepare(node, type) {
    var operations = operationsOf(type);
    var container = $('#comet-params');
    if (!$('#node-input-operation').length) formRow('operation', 'fa-wrench', $('<select style="width:70%">')).insertBefore(container);
    if (!$('#node-input-name').length) formRow('name', 'fa-tag', $('<input type="text">').val(node.name || '')).insertAfter(container);
    var select = $('#node-input-operation');
    var names = Object.keys(operations);
    names.forEach(function (op) {
      $('<option>').val(op).text(operationLabel(type, op)).appendTo(select);
    });
    select.val(node.operation || names[0]);
    if (names.length === 1) select.closest('.form-row').hide();

    paramsOf(type).forEach(function (param) {
      var row = $('<div class="form-row comet-param">').attr('data-param', param.name).appendTo(container);
      $('<label>')
        .attr('for', 'node-input-' + param.name)
        .append($('<span class="comet-param-label">').text(shared('params.' + param.name)))
        .append($('<span class="comet-param-mark">'))
        .appendTo(row);
      var input = $('<input type="text" style="width:70%">').attr('id', 'node-input-' + param.name).val(node[param.name] === undefined ? '' : node[param.name]).appendTo(row);
      var typeField = $('<input type="hidden">').attr('id', 'node-input-' + param.name + 'Type').val(node[param.name + 'Type'] || TYPES[param.kind][0]).appendTo(row);
      var types = TYPES[param.kind].slice();
      if (param.kind === 'enum') {
        types[0] = { value: 'str', label: 'string', options: [{ value: '', label: shared('common.fromMsg', { name: param.name }) }].concat(param.values) };
      }
      input.typedInput({ types: types, typeField: typeField });
      input.typedInput('value', node[param.name] === undefined ? '' : node[param.name]);
      var hint = param.name === 'workspace' ? shared('common.orDefaultWorkspace') : shared('common.fromMsg', { name: param.name });
      row.find('.red-ui-typedInput-input input').attr('placeholder', hint);
    });

    function showOperation() {
      var endpoint = operations[select.val()] || operations[names[0]];
      var wanted = {};
      endpoint.params.forEach(function (p) {
        wanted[p.name] = p;
      });
      container.find('.comet-param').each(function () {
        var row = $(this);
        var name = row.attr('data-param');
        var param = wanted[name];
        row.toggle(!!param);
        if (!param) return;
        var group = groupOf(endpoint, name);
        var mark = group >= 0 ? ' (' + shared('common.alternative', { n: group + 1 }) + ')' : param.required ? ' *' : '';
        row.find('.comet-param-mark').text(mark).attr('title', group >= 0 ? shared('common.oneOf') : param.required ? shared('common.required') : '');
      });
    }
    select.on('change', showOperation);
    showOperation();
  }

  window.CometEditor = {
    defaults: defaults,
    label: label,
    prepare: prepare,
    color: '#F4A261',
    category: 'Comet ML',
  };
})();
