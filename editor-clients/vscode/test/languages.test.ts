import { describe, expect, it } from 'vitest';
import { DEFAULT_LANGUAGES, documentProblem, documentSelector, normaliseLanguages } from '../src/core/languages';

describe('languages', () => {
  it('defaults to the prose languages and maps gitcommit to VS Code\'s git-commit', () => {
    expect(normaliseLanguages(undefined)).toEqual([...DEFAULT_LANGUAGES]);
    expect(normaliseLanguages(['gitcommit', 'md', 'markdown', 'asciidoc', 7])).toEqual(['git-commit', 'markdown', 'asciidoc']);
  });

  it('selects files and untitled documents of each language', () => {
    const sel = documentSelector(['markdown', 'latex']);
    expect(sel).toContainEqual({ language: 'markdown', scheme: 'file' });
    expect(sel).toContainEqual({ language: 'latex', scheme: 'untitled' });
    expect(sel.some((f) => f.scheme === 'git')).toBe(false);
  });

  it('explains why a document is not served', () => {
    expect(documentProblem('markdown', 'file', ['markdown'])).toBeUndefined();
    expect(documentProblem('python', 'file', ['markdown', 'plaintext'])).toBe(
      'Refract works on markdown, plaintext documents (setting refract.languages); this one is python.',
    );
    expect(documentProblem('markdown', 'git', ['markdown'])).toMatch(/git document/);
  });
});
