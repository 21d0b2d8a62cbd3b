// Assembly (floor 6): every list of codes a trace step or a parameter file may name (`code:<list>`),
// from the capabilities that own them, with their words as the web catalogue keys them
// (`<list>.<code>`). `shebao calc --explain` says a code in these words, and the parameter files are
// checked against them at start-up: a file whose unit names a list that does not exist, or holding a
// code the list lacks, stops the program.
import type { Words } from './core/bilingual.ts';
import { SbError } from './core/errors.ts';
import type { ParamStore } from './core/params.ts';
import { injuryCodeLabels } from './injury/injury-codes.rules.ts';
import { employmentCodeLabels } from './registry/employment-codes.rules.ts';
import { unemploymentCodeLabels } from './unemployment/unemployment-codes.rules.ts';

/** The words of every code in one language, keyed `<list>.<code>`. */
export function codeWords(lang: keyof Words): Record<string, string> {
  return { ...employmentCodeLabels(lang), ...injuryCodeLabels(lang), ...unemploymentCodeLabels(lang) };
}

/** Each list's codes, read from the keys of its words. */
function codeLists(): Map<string, Set<string>> {
  const lists = new Map<string, Set<string>>();
  for (const key of Object.keys(codeWords('en'))) {
    const dot = key.lastIndexOf('.');
    const list = key.slice(0, dot);
    lists.set(list, (lists.get(list) ?? new Set()).add(key.slice(dot + 1)));
  }
  return lists;
}

/** The strings of a parameter's value: itself, or those of its table. */
const codesIn = (v: unknown): unknown[] =>
  v !== null && typeof v === 'object' ? Object.values(v).flatMap(codesIn) : [v];

/** Stops when a parameter file of unit `code:<list>` names a list that does not exist, or a code outside it. */
export function checkParamCodeLists(params: ParamStore): void {
  const lists = codeLists();
  for (const def of params.definitions.values()) {
    if (!def.unit.startsWith('code:')) continue;
    const list = def.unit.slice('code:'.length);
    const codes = lists.get(list);
    const problem = (why: string): SbError => {
      const msg = `${def.file}: key "unit": ${why}`;
      return new SbError('SB_ERR_INVALID_PARAMETER_FILE', { zh: msg, en: msg });
    };
    if (!codes) throw problem(`no code list "${list}"; lists: ${[...lists.keys()].join(', ')}`);
    for (const versions of def.regions.values())
      for (const v of versions)
        for (const c of codesIn(v.value))
          if (c !== null && !(typeof c === 'string' && codes.has(c)))
            throw problem(`${JSON.stringify(c)} (from ${v.effectiveFrom}) is not a code of ${list}`);
  }
}
