/**
 * Turning server answers and errors into what the writer sees: messages, quick-pick items and
 * progress labels. Pure.
 */
import * as nodePath from 'node:path';
import { UserError } from './args';
import type {
  ApplyTextResult,
  Candidate,
  CopyStyleResult,
  PatchInfo,
  RewriteResult,
  SavePatchResult,
} from './protocol';
import { ErrorCodes } from './protocol';

export type Level = 'status' | 'info' | 'warning' | 'error' | 'silent';

export interface Outcome {
  level: Level;
  message: string;
}

/** Labels shown while a command runs ("Refract: shortening…"). */
export const PROGRESS = {
  shorten: 'shortening…',
  lengthen: 'lengthening…',
  sentiment: 'shifting sentiment…',
  variations: 'finding variations…',
  copyStyle: 'copying style…',
  pasteTone: 'pasting tone…',
  pasteTopic: 'pasting topic…',
  blend: 'blending with the copied passage…',
  setFeature: 'setting feature…',
  savePatch: 'saving style patch…',
  applyPatch: 'applying style patch…',
  listPatches: 'looking for style patches…',
  features: 'reading features…',
  heatmap: 'computing heat map…',
  preview: 'previewing…',
  apply: 'applying…',
} as const;
export type ProgressKind = keyof typeof PROGRESS;

export function progressText(kind: ProgressKind): string {
  return `$(sync~spin) Refract: ${PROGRESS[kind]}`;
}

export function formatSeconds(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds)) return '';
  return seconds < 10 ? `${seconds.toFixed(1)} s` : `${Math.round(seconds)} s`;
}

export function formatScore(score: number | undefined): string {
  return score === undefined || !Number.isFinite(score) ? '' : score.toFixed(2);
}

interface ErrorLike {
  code?: unknown;
  message?: unknown;
}

/**
 * How to show a failed command. The server writes InvalidParams messages for writers, so they
 * are shown as they are; a cancelled request is silent; anything else is prefixed with
 * "Refract:" so the writer knows where it came from.
 */
export function errorOutcome(err: unknown, what = 'the command'): Outcome {
  if (err instanceof UserError) return { level: 'error', message: err.message };
  const e = (err ?? {}) as ErrorLike;
  const message = typeof e.message === 'string' && e.message ? e.message : String(err);
  switch (e.code) {
    case ErrorCodes.InvalidParams: {
      const missing = /Command name '([^']+)' is not defined/.exec(message);
      if (missing) {
        return {
          level: 'error',
          message: `Refract: this refract server has no ${missing[1]} command yet. Update the server (pip install -e . in the Refract repository) and restart it.`,
        };
      }
      return { level: 'error', message };
    }
    case ErrorCodes.RequestCancelled:
    case ErrorCodes.ServerCancelled:
      return { level: 'silent', message: `Refract: ${what} was cancelled.` };
    case ErrorCodes.ContentModified:
      return { level: 'warning', message: 'Refract: the document changed while working; try again.' };
    case ErrorCodes.MethodNotFound:
      return {
        level: 'error',
        message: `Refract: this version of the refract server does not support ${what} yet (${message}). Update the server.`,
      };
    default:
      if (/not running|stopped|connection.*(closed|disposed)|Client is not/i.test(message)) {
        return {
          level: 'error',
          message: `Refract: the language server is not running (${message}). Run "Refract: Restart Server" or see the Refract output.`,
        };
      }
      return { level: 'error', message: `Refract: ${message}` };
  }
}

/** What to say after a rewrite the server was asked to apply. */
export function rewriteOutcome(result: RewriteResult, done: string): Outcome {
  if (result.applied) {
    const score = formatScore(result.candidates?.[0]?.score);
    const details = [formatSeconds(result.seconds), score && `score ${score}`].filter(Boolean).join(', ');
    return { level: 'status', message: `Refract: ${done}${details ? ` (${details})` : ''}` };
  }
  if (result.reason) {
    return { level: 'warning', message: `Refract did not change the text: ${result.reason}` };
  }
  return { level: 'info', message: `Refract: nothing was applied. Best candidate: ${oneLine(result.text)}` };
}

export function applyOutcome(result: ApplyTextResult): Outcome {
  if (result.applied) return { level: 'status', message: 'Refract: applied' };
  return {
    level: 'warning',
    message: `Refract did not change the text: ${result.reason || 'the editor refused the edit'}`,
  };
}

export function oneLine(text: string, max = 0): string {
  const s = text.replace(/\s+/g, ' ').trim();
  return max > 0 && s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

export interface CandidateItem {
  label: string;
  description: string;
  text: string;
  score: number;
}

export function candidateItems(candidates: Candidate[]): CandidateItem[] {
  return candidates.map((c, i) => ({
    label: oneLine(c.text) || '(empty)',
    description: `${i === 0 ? 'best · ' : ''}score ${formatScore(c.score)}`,
    text: c.text,
    score: c.score,
  }));
}

export interface PatchItem {
  label: string;
  description: string;
  detail?: string;
  path: string;
}

/** Quick-pick items for style patches; paths inside a workspace folder are shown relative. */
export function patchItems(patches: PatchInfo[], workspaceFolders: string[] = []): PatchItem[] {
  return patches.map((p) => {
    const folder = workspaceFolders.find((f) => p.path.startsWith(f + nodePath.sep) || p.path.startsWith(f + '/'));
    const shown = folder ? nodePath.relative(folder, p.path) : p.path;
    return {
      label: p.name || nodePath.basename(p.path, '.json'),
      description: shown,
      detail: p.description || undefined,
      path: p.path,
    };
  });
}

export function noPatchesMessage(): string {
  return (
    'Refract found no style patches. Save one from a selection with "Refract: Save Style Patch", ' +
    'or add folders that hold patches to the refract.patchFolders setting.'
  );
}

export function copyStyleMessage(result: CopyStyleResult): string {
  return `Refract copied the style of "${oneLine(result.copied, 60)}". Select text and run "Refract: Paste Tone", "Refract: Paste Topic" or "Refract: Blend with Copied Passage".`;
}

export function savePatchMessage(result: SavePatchResult): string {
  return `Refract saved the style patch "${result.name}" to ${result.path}.`;
}

/** The progress label for a server command run from elsewhere (a code action's command). */
export function progressKindFor(command: string, args: unknown): ProgressKind {
  const a = (args ?? {}) as { op?: string; aspect?: string; amount?: number };
  switch (command) {
    case 'refract.rewrite':
      if (a.op === 'shorten' || a.op === 'lengthen' || a.op === 'sentiment' || a.op === 'variations') return a.op;
      if (a.op === 'feature') return 'setFeature';
      if (a.op === 'blend') return 'blend';
      return a.op === 'patch' ? 'applyPatch' : 'preview';
    case 'refract.pasteStyle':
      return a.aspect === 'topic' ? 'pasteTopic' : a.aspect === 'blend' ? 'blend' : 'pasteTone';
    case 'refract.applyPatch':
      return 'applyPatch';
    case 'refract.applyText':
      return 'apply';
    case 'refract.variations':
      return 'variations';
    case 'refract.copyStyle':
      return 'copyStyle';
    case 'refract.savePatch':
      return 'savePatch';
    case 'refract.listPatches':
      return 'listPatches';
    case 'refract.features':
      return 'features';
    case 'refract.heatmap':
      return 'heatmap';
    default:
      return 'apply';
  }
}

/**
 * What to say after a server command that a code action ran: a warning when an edit was not
 * applied (with the server's reason), nothing otherwise (the edit itself is the feedback).
 */
export function commandResultOutcome(result: unknown): Outcome | undefined {
  const r = result as { applied?: unknown; reason?: unknown } | null | undefined;
  if (r && r.applied === false && typeof r.reason === 'string' && r.reason) {
    return { level: 'warning', message: `Refract did not change the text: ${r.reason}` };
  }
  return undefined;
}

/** The progress label for resolving a code action, from its title ("Shorten", "Apply patch …"). */
export function progressKindForTitle(title: string): ProgressKind {
  const t = title.toLowerCase().replace(/^refract:\s*/, '');
  if (t.startsWith('shorten')) return 'shorten';
  if (t.startsWith('lengthen')) return 'lengthen';
  if (t.startsWith('more positive') || t.startsWith('more negative')) return 'sentiment';
  if (t.startsWith('paste tone')) return 'pasteTone';
  if (t.startsWith('paste topic')) return 'pasteTopic';
  if (t.startsWith('apply patch')) return 'applyPatch';
  return 'apply';
}

/** An absolute path for a path the server answered, which may be relative to the workspace. */
export function absolutePath(p: string, workspaceFolder?: string): string {
  return nodePath.isAbsolute(p) || !workspaceFolder ? p : nodePath.join(workspaceFolder, p);
}
