/**
 * Building the one argument object each server command takes, from a document URI and a
 * selection. Pure: ranges are plain {start: {line, character}, end} objects, which is also
 * the shape of a `vscode.Range`, so an editor selection can be passed in as is.
 */
import type { Aspect, Position, Range, RewriteOp } from './protocol';
import { REWRITE_OPS } from './protocol';

/** An error in what the writer asked for, caught before the server is asked. */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}

export interface RangeLike {
  start: Position;
  end: Position;
}

export function toPosition(p: Position): Position {
  return { line: p.line, character: p.character };
}

/** A protocol range (plain JSON, no class instances) from any range-shaped object. */
export function toRange(r: RangeLike): Range {
  return { start: toPosition(r.start), end: toPosition(r.end) };
}

export function isEmptyRange(r: RangeLike): boolean {
  return r.start.line === r.end.line && r.start.character === r.end.character;
}

/** The selection as a protocol range, or a UserError telling the writer to select text. */
export function selectionRange(r: RangeLike | undefined): Range {
  if (!r || isEmptyRange(r)) {
    throw new UserError('Select some text first: Refract rewrites the selected passage.');
  }
  // A backwards selection (anchor after active) still has start <= end in VS Code, but be safe.
  const a = toPosition(r.start);
  const b = toPosition(r.end);
  const ordered = a.line < b.line || (a.line === b.line && a.character <= b.character);
  return ordered ? { start: a, end: b } : { start: b, end: a };
}

export interface SelectionArgs {
  uri: string;
  range: Range;
}

export function selectionArgs(uri: string, range: RangeLike | undefined): SelectionArgs {
  return { uri, range: selectionRange(range) };
}

export interface RewriteOptions {
  amount?: number;
  source?: string;
  patch?: string;
  feature?: string;
  apply?: boolean;
}

export interface RewriteArgs extends SelectionArgs, RewriteOptions {
  op: RewriteOp;
}

export function clampAmount(amount: number, min = -3, max = 3): number {
  if (!Number.isFinite(amount)) {
    throw new UserError('The amount must be a number.');
  }
  return Math.min(max, Math.max(min, amount));
}

/** Drops undefined fields: the server rejects unknown fields, and `null` is not "absent". */
function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

export function rewriteArgs(
  uri: string,
  range: RangeLike | undefined,
  op: RewriteOp,
  options: RewriteOptions = {},
): RewriteArgs {
  if (!(REWRITE_OPS as readonly string[]).includes(op)) {
    throw new UserError(`Unknown operation "${op}".`);
  }
  const amount = options.amount === undefined ? undefined : clampAmount(options.amount);
  return compact({ ...selectionArgs(uri, range), op, ...options, amount });
}

export function variationsArgs(uri: string, range: RangeLike | undefined, amount?: number) {
  return compact({ ...selectionArgs(uri, range), amount: amount === undefined ? undefined : clampAmount(amount, 0, 2) });
}

export interface ApplyTextArgs extends SelectionArgs {
  text: string;
  version: number;
}

export function applyTextArgs(uri: string, range: RangeLike, text: string, version: number): ApplyTextArgs {
  if (!Number.isInteger(version)) {
    throw new UserError('This preview has no document version; preview again.');
  }
  return { uri, range: toRange(range), text, version };
}

export function pasteStyleArgs(
  uri: string,
  range: RangeLike | undefined,
  aspect: Aspect,
  options: { amount?: number; apply?: boolean } = {},
) {
  return compact({ ...selectionArgs(uri, range), aspect, ...options });
}

/** The copied passage's weight in a blend: 0 keeps the selection, 1 is the copied passage. */
export const BLEND_MIN = 0;
export const BLEND_MAX = 1;

/** refract.pasteStyle `{uri, range, aspect: "blend", amount}`: blends the selection toward the copied passage. */
export function blendArgs(uri: string, range: RangeLike | undefined, amount: number, options: { apply?: boolean } = {}) {
  if (!Number.isFinite(amount) || amount < BLEND_MIN || amount > BLEND_MAX) {
    throw new UserError(`The blend weight is the copied passage's share, between ${BLEND_MIN} and ${BLEND_MAX}.`);
  }
  return pasteStyleArgs(uri, range, 'blend', { amount, ...options });
}

/** The value a feature can be set to: 0 turns it off, 1 is as strong as in its top examples. */
export const FEATURE_VALUE_MIN = 0;
export const FEATURE_VALUE_MAX = 3;

/** Validates a feature label or id typed by the writer; returns an error message or undefined. */
export function validateFeatureName(text: string): string | undefined {
  if (!text.trim()) return 'Enter a feature label (as Show Features lists them, e.g. "concert / band") or a feature id (e.g. 841)';
  return undefined;
}

/** A feature value typed by the writer ("1.5", " 2 ", "0,5"), or undefined if it is not a number. */
export function parseFeatureValue(text: string): number | undefined {
  const t = text.trim().replace(',', '.');
  if (!t || !/^[+-]?(\d+\.?\d*|\.\d+)$/.test(t)) return undefined;
  return Number(t);
}

/** Validates a feature value typed by the writer; returns an error message or undefined. */
export function validateFeatureValue(text: string): string | undefined {
  const v = parseFeatureValue(text);
  if (v === undefined || v < FEATURE_VALUE_MIN || v > FEATURE_VALUE_MAX) {
    return `Enter a number between ${FEATURE_VALUE_MIN} and ${FEATURE_VALUE_MAX}: 0 turns the feature off, 1 is as strong as in its top examples`;
  }
  return undefined;
}

/** refract.rewrite `{uri, range, op: "feature", feature, amount}`: sets one feature of the selection. */
export function featureArgs(
  uri: string,
  range: RangeLike | undefined,
  feature: string,
  amount: number,
  options: { apply?: boolean } = {},
): RewriteArgs {
  const nameProblem = validateFeatureName(feature);
  if (nameProblem) throw new UserError(nameProblem);
  if (!Number.isFinite(amount) || amount < FEATURE_VALUE_MIN || amount > FEATURE_VALUE_MAX) {
    throw new UserError(validateFeatureValue(String(amount))!);
  }
  return rewriteArgs(uri, range, 'feature', { feature: feature.trim(), amount, ...options });
}

/** A file-name-safe slug of a patch name: "Formal Letter!" -> "formal-letter". */
export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug || 'style';
}

/** Default path offered when saving a patch: `patches/<name>.json`, relative to the workspace. */
export function defaultPatchPath(name?: string): string {
  return `patches/${slugify(name?.trim() || 'style')}.json`;
}

/** Validates a patch path typed by the writer; returns an error message or undefined. */
export function validatePatchPath(path: string): string | undefined {
  const p = path.trim();
  if (!p) return 'Enter a path for the patch file, e.g. patches/formal.json';
  if (!/\.json$/i.test(p)) return 'Style patches are JSON files: end the path with .json';
  if (p.endsWith('/') || p.endsWith('\\')) return 'Enter a file path, not a folder';
  return undefined;
}

export function savePatchArgs(uri: string, range: RangeLike | undefined, path: string, name?: string) {
  const problem = validatePatchPath(path);
  if (problem) throw new UserError(problem);
  const trimmed = name?.trim();
  return compact({ ...selectionArgs(uri, range), path: path.trim(), name: trimmed ? trimmed : undefined });
}

export function applyPatchArgs(
  uri: string,
  range: RangeLike | undefined,
  path: string,
  options: { amount?: number; apply?: boolean } = {},
) {
  return compact({ ...selectionArgs(uri, range), path, ...options });
}

export function featuresArgs(uri: string, range: RangeLike | undefined) {
  return selectionArgs(uri, range);
}

export function heatmapArgs(uri: string, feature?: string) {
  const f = feature?.trim();
  return compact({ uri, feature: f ? f : undefined });
}

/** Where text inserted at `start` ends (UTF-16 columns, like LSP and VS Code). */
export function endAfterInsert(start: Position, text: string): Position {
  const lines = text.split(/\r\n|\r|\n/);
  if (lines.length === 1) return { line: start.line, character: start.character + text.length };
  return { line: start.line + lines.length - 1, character: lines[lines.length - 1].length };
}

/** The range `text` occupies after it replaced the range starting at `start`. */
export function rangeAfterReplace(start: Position, text: string): Range {
  return { start: toPosition(start), end: endAfterInsert(start, text) };
}
