/**
 * The slider panel's logic, apart from VS Code: turns slider positions into preview requests,
 * keeps the candidates with the document version they were computed from, and applies a chosen
 * candidate with refract.applyText. The host (a webview panel in extension code, a fake in
 * tests) runs server commands and carries messages to and from the webview.
 */
import { applyTextArgs, rangeAfterReplace, rewriteArgs, type RewriteArgs } from './args';
import type { ApplyTextResult, Candidate, Range, RewriteResult } from './protocol';
import { ServerCommand } from './protocol';
import { errorOutcome, oneLine, type Outcome, type ProgressKind } from './results';
import { formatAmount } from './sentiment';

export const SLIDER_MIN = -2;
export const SLIDER_MAX = 2;
export const SLIDER_STEP = 0.25;

/** Messages from the webview. */
export type FromWebview =
  | { type: 'ready' }
  | { type: 'preview'; sentiment: number; length: number }
  | { type: 'apply'; group: number; index: number };

export interface CandidateGroup {
  title: string;
  version: number;
  seconds: number;
  candidates: Candidate[];
}

/** Messages to the webview. */
export type ToWebview =
  | { type: 'init'; excerpt: string }
  | { type: 'busy'; label: string }
  | { type: 'candidates'; groups: CandidateGroup[] }
  | { type: 'applied'; applied: boolean; message: string; excerpt: string }
  | { type: 'error'; message: string };

export interface SliderHost {
  execute<T>(command: string, args: object, progress: ProgressKind): Promise<T>;
  post(message: ToWebview): unknown;
  /** Shows an outcome outside the panel (error and warning messages). */
  report(outcome: Outcome): void;
}

export interface PreviewRequest {
  title: string;
  args: RewriteArgs;
}

export function sliderValue(v: unknown): number {
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isFinite(n)) return 0;
  return Math.min(SLIDER_MAX, Math.max(SLIDER_MIN, n));
}

/**
 * The preview requests for the slider positions: one per slider away from 0 (the server edits
 * one axis per request): sentiment with its signed amount, and shorten (length < 0) or
 * lengthen (length > 0) by the length's size. Never applied (`apply: false`).
 */
export function previewRequests(uri: string, range: Range, sentiment: number, length: number): PreviewRequest[] {
  const out: PreviewRequest[] = [];
  const s = sliderValue(sentiment);
  const l = sliderValue(length);
  if (s !== 0) {
    out.push({
      title: `Sentiment ${formatAmount(s)}`,
      args: rewriteArgs(uri, range, 'sentiment', { amount: s, apply: false }),
    });
  }
  if (l !== 0) {
    const op = l < 0 ? 'shorten' : 'lengthen';
    out.push({
      title: `${l < 0 ? 'Shorter' : 'Longer'} ${formatAmount(Math.abs(l))}`,
      args: rewriteArgs(uri, range, op, { amount: Math.abs(l), apply: false }),
    });
  }
  return out;
}

export class SliderController {
  private groups: CandidateGroup[] = [];
  private busy = false;

  constructor(
    private readonly host: SliderHost,
    readonly uri: string,
    private range: Range,
    private text: string,
  ) {}

  get currentRange(): Range {
    return this.range;
  }

  get excerpt(): string {
    return oneLine(this.text, 240);
  }

  async handle(message: FromWebview): Promise<void> {
    switch (message?.type) {
      case 'ready':
        // Also after the panel was hidden and shown again (its page reloads): restore the list.
        this.host.post({ type: 'init', excerpt: this.excerpt });
        if (this.groups.length) this.host.post({ type: 'candidates', groups: this.groups });
        return;
      case 'preview':
        return this.preview(message.sentiment, message.length);
      case 'apply':
        return this.apply(message.group, message.index);
      default:
        return;
    }
  }

  async preview(sentiment: number, length: number): Promise<void> {
    if (this.busy) return;
    let requests: PreviewRequest[];
    try {
      requests = previewRequests(this.uri, this.range, sentiment, length);
    } catch (err) {
      this.host.post({ type: 'error', message: errorOutcome(err).message });
      return;
    }
    if (requests.length === 0) {
      this.host.post({ type: 'error', message: 'Move the sentiment or length slider away from 0 first.' });
      return;
    }
    this.busy = true;
    const groups: CandidateGroup[] = [];
    try {
      for (const r of requests) {
        this.host.post({ type: 'busy', label: `Previewing ${r.title.toLowerCase()}…` });
        const result = await this.host.execute<RewriteResult>(ServerCommand.rewrite, r.args, 'preview');
        groups.push({ title: r.title, version: result.version, seconds: result.seconds, candidates: result.candidates ?? [] });
      }
      this.groups = groups;
      this.host.post({ type: 'candidates', groups });
    } catch (err) {
      const outcome = errorOutcome(err, 'the preview');
      this.host.post({ type: 'error', message: outcome.message });
      if (outcome.level !== 'silent') this.host.report(outcome);
    } finally {
      this.busy = false;
    }
  }

  async apply(groupIndex: number, index: number): Promise<void> {
    if (this.busy) return;
    const group = this.groups[groupIndex];
    const candidate = group?.candidates[index];
    if (!group || !candidate) {
      this.host.post({ type: 'error', message: 'That candidate is gone; preview again.' });
      return;
    }
    this.busy = true;
    try {
      this.host.post({ type: 'busy', label: 'Applying…' });
      const args = applyTextArgs(this.uri, this.range, candidate.text, group.version);
      const result = await this.host.execute<ApplyTextResult>(ServerCommand.applyText, args, 'apply');
      if (result.applied) {
        // Go on editing the text that is there now.
        this.range = rangeAfterReplace(this.range.start, candidate.text);
        this.text = candidate.text;
        this.groups = [];
        this.host.post({ type: 'applied', applied: true, message: 'Applied. Move the sliders to edit the new text.', excerpt: this.excerpt });
      } else {
        const reason = result.reason || 'the editor refused the edit';
        this.host.post({ type: 'applied', applied: false, message: `Not applied: ${reason}`, excerpt: this.excerpt });
        this.host.report({ level: 'warning', message: `Refract did not change the text: ${reason}` });
      }
    } catch (err) {
      const outcome = errorOutcome(err, 'applying the candidate');
      this.host.post({ type: 'error', message: outcome.message });
      if (outcome.level !== 'silent') this.host.report(outcome);
    } finally {
      this.busy = false;
    }
  }
}
