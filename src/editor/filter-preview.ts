// The filter field's preview: what the filter compiles into (the predicates
// of each query Comet will be asked) or the sentence saying what is wrong,
// under the field as it is typed, without a deploy. The runtime compiles it
// against the project's columns (GET comet-config/<id>/filter,
// src/node-red/lookups.ts, through the lookups' cache). Compiled into
// resources/comet-editor.js with comet-editor.ts; runs once.
(() => {
  if (window.CometFilterPreview) return;

  const SHARED = '@flowml/node-red-comet/comet-config:';
  /** Typing pauses this long before the preview is asked for: one request for a word, not one a key. */
  const PAUSE_MS = 300;
  const BOX = 'margin: 6px 0 0 104px; max-width: calc(100% - 104px); font-size: 12px';
  const CODE = 'margin: 4px 0 0; max-height: 180px; overflow: auto; font-size: 11px; line-height: 1.35; white-space: pre';

  interface PreviewRule {
    readonly field: string;
    readonly type: string;
    readonly operator: string;
    readonly value: unknown;
  }

  interface PreviewPredicate {
    readonly source: string;
    readonly query: { readonly rules: readonly PreviewRule[] };
  }

  interface PreviewAnswer {
    readonly queries?: readonly (readonly PreviewPredicate[])[];
    readonly error?: string;
  }

  /** One line per rule, as a person reads it: `metrics · accuracy greater 0.8 (double)`. */
  function rulesOf(predicates: readonly PreviewPredicate[]): string[] {
    return predicates.flatMap((p) =>
      p.query.rules.map((r) => `${p.source} · ${r.field} ${r.operator}${r.value === null ? '' : ' ' + JSON.stringify(r.value)} (${r.type})`),
    );
  }

  function shared(key: string, vars?: Record<string, unknown>): string {
    return RED._(SHARED + key, vars);
  }

  /** The box's content for an answer: the error, or how many queries and their predicates. */
  function show(box: JQuery, answer: PreviewAnswer): void {
    box.empty();
    const queries = answer.queries || [];
    if (!answer.error && !queries.length) {
      box.hide();
      return;
    }
    box.show();
    if (answer.error) {
      box.attr('data-state', 'error');
      $('<div style="color: var(--red-ui-text-color-error, #c00)">')
        .append($('<i class="fa fa-exclamation-triangle">'), ' ', $('<span class="comet-filter-error">').text(answer.error))
        .appendTo(box);
      return;
    }
    box.attr('data-state', 'compiled');
    const count = queries.length;
    $('<div class="comet-filter-summary" style="opacity: 0.8">')
      .append($('<i class="fa fa-check">'), ' ', $('<span>').text(shared(count === 1 ? 'filter.preview.one' : 'filter.preview.many', { count })))
      .appendTo(box);
    const lines = queries.flatMap((predicates, i) => [...(count > 1 ? [shared('filter.preview.query', { n: i + 1, count })] : []), ...rulesOf(predicates)]);
    $(`<pre class="comet-filter-rules" style="${CODE}">`).text(lines.join('\n')).appendTo(box);
    // The predicates themselves, as project/query gets them (and as a `predicates` field would hold them).
    const json = $('<details>').append($('<summary style="cursor: pointer; opacity: 0.8">').text(shared('filter.preview.json')));
    $(`<pre class="comet-filter-predicates" style="${CODE}">`)
      .text(JSON.stringify(count === 1 ? queries[0] : queries, null, 2))
      .appendTo(json);
    json.appendTo(box);
  }

  /**
   * Puts the preview box under `field` (in its row, so it hides with it) and
   * keeps it up to date as `input` is typed in or a `watched` field (the
   * config node, the project) changes; `url()` is undefined while there is
   * nothing to preview. Only the latest answer is shown.
   */
  function attach(field: JQuery, input: JQuery, url: () => string | undefined, watched: readonly JQuery[]): void {
    const box = $(`<div class="comet-filter-preview" style="${BOX}">`).hide().appendTo(field.closest('.form-row'));
    let timer: number | undefined;
    let latest = 0;
    const ask = (): void => {
      const target = url();
      const asked = ++latest;
      if (!target) return show(box, {});
      $.ajax({
        url: target,
        dataType: 'json',
        headers: { Accept: 'application/json' },
        success: (answer: unknown) => {
          if (asked === latest) show(box, (answer || {}) as PreviewAnswer);
        },
        error: (xhr: AjaxError) => {
          if (asked === latest) show(box, { error: xhr.responseJSON?.error || shared('lookup.unreachable', { status: xhr.status }) });
        },
      });
    };
    const later = (): void => {
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, PAUSE_MS);
    };
    input.on('keyup', later);
    input.on('input', later);
    for (const one of [field, ...watched]) one.on('change', later);
    ask();
  }

  window.CometFilterPreview = { attach };
})();
