/**
 * The filter field's suggestions: the project's columns as a filter writes
 * them (a bare name where one source has it, else with its source; quoted
 * where it is not a name), labelled with their source.
 */
import { columnRows, type Lookup, type Suggestion } from '../catalogue/lookups';
import { IDENTIFIER, PREFIX_OF, writtenWithSource, type Column } from './compile';

export async function filterColumns(lookup: Lookup): Promise<Suggestion[]> {
  const columns = (await columnRows(lookup, 'filterColumns')).filter(
    (row): row is Column & typeof row => typeof row.name === 'string' && row.name !== '' && typeof row.source === 'string' && row.source in PREFIX_OF,
  );
  const sources = new Map<string, number>();
  for (const c of columns) sources.set(c.name, (sources.get(c.name) ?? 0) + 1);
  return columns.map((c) => ({
    value: sources.get(c.name) === 1 && IDENTIFIER.test(c.name) ? c.name : writtenWithSource(c),
    label: `${c.name} · ${PREFIX_OF[c.source]}`,
    source: PREFIX_OF[c.source],
  }));
}
