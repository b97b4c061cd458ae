/** Which documents Refract serves (the `refract.languages` setting). Pure. */

export const DEFAULT_LANGUAGES = ['markdown', 'plaintext', 'git-commit', 'restructuredtext', 'latex'] as const;

/** Names people write for a language, mapped to VS Code's language id. */
const ALIASES: Record<string, string> = {
  gitcommit: 'git-commit',
  'git commit': 'git-commit',
  text: 'plaintext',
  txt: 'plaintext',
  md: 'markdown',
  rst: 'restructuredtext',
  tex: 'latex',
};

export function normaliseLanguages(value: unknown): string[] {
  const list = Array.isArray(value) ? value : DEFAULT_LANGUAGES;
  const out: string[] = [];
  for (const v of list) {
    if (typeof v !== 'string') continue;
    const id = ALIASES[v.trim().toLowerCase()] ?? v.trim();
    if (id && !out.includes(id)) out.push(id);
  }
  return out;
}

/** Schemes whose documents are the writer's own (not diffs, output, or git history). */
export const SCHEMES = ['file', 'untitled', 'vscode-remote'] as const;

export interface DocumentFilter {
  language: string;
  scheme: string;
}

export function documentSelector(languages: string[]): DocumentFilter[] {
  return normaliseLanguages(languages).flatMap((language) => SCHEMES.map((scheme) => ({ language, scheme })));
}

/** Why Refract cannot work on a document, or undefined when it can. */
export function documentProblem(languageId: string, scheme: string, languages: string[]): string | undefined {
  const ids = normaliseLanguages(languages);
  if (!ids.includes(languageId)) {
    return `Refract works on ${ids.join(', ')} documents (setting refract.languages); this one is ${languageId}.`;
  }
  if (!(SCHEMES as readonly string[]).includes(scheme)) {
    return `Refract works on files and untitled documents; this one is a ${scheme} document.`;
  }
  return undefined;
}
