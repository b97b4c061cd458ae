/**
 * Types for the Refract language server's command surface (docs/protocol.md).
 * Pure: no `vscode` import, so tests and other modules can use them freely.
 */

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export interface Candidate {
  text: string;
  /** What candidates are ranked by (docs/protocol.md). */
  score: number;
  /** Cosine between the candidate's re-encoding and the edit's target vector. */
  similarity: number;
  /** How much of the original wording the candidate keeps, 0..1. */
  kept: number;
}

/** Answer of refract.rewrite, refract.pasteStyle and refract.applyPatch. */
export interface RewriteResult {
  text: string;
  candidates: Candidate[];
  seconds: number;
  version: number;
  applied: boolean;
  reason?: string | null;
}

export interface VariationsResult {
  candidates: Candidate[];
  version: number;
  seconds: number;
}

export interface ApplyTextResult {
  applied: boolean;
  reason?: string | null;
}

export type Axes = Record<string, number>;

export interface CopyStyleResult {
  copied: string;
  axes?: Axes;
}

export interface SavePatchResult {
  path: string;
  name: string;
  axes?: Axes;
}

export interface PatchInfo {
  path: string;
  name: string;
  description?: string | null;
}

export interface ListPatchesResult {
  patches: PatchInfo[];
}

export interface Feature {
  id: number;
  label: string;
  value: number;
}

export interface FeaturesResult {
  axes: Axes;
  features: Feature[];
  markdown: string;
}

export interface HeatmapSentence {
  range: Range;
  value: number;
}

export interface HeatmapResult {
  feature: string;
  label: string;
  min: number;
  max: number;
  sentences: HeatmapSentence[];
}

export const REWRITE_OPS = [
  'roundtrip',
  'shorten',
  'lengthen',
  'sentiment',
  'tone',
  'topic',
  'blend',
  'variations',
  'feature',
  'patch',
] as const;
export type RewriteOp = (typeof REWRITE_OPS)[number];

/** What refract.pasteStyle takes from the copied passage; `blend` moves the whole passage toward it. */
export type Aspect = 'tone' | 'topic' | 'blend';

/** Server command names (workspace/executeCommand). */
export const ServerCommand = {
  rewrite: 'refract.rewrite',
  variations: 'refract.variations',
  applyText: 'refract.applyText',
  copyStyle: 'refract.copyStyle',
  pasteStyle: 'refract.pasteStyle',
  savePatch: 'refract.savePatch',
  applyPatch: 'refract.applyPatch',
  listPatches: 'refract.listPatches',
  features: 'refract.features',
  heatmap: 'refract.heatmap',
} as const;
export type ServerCommandName = (typeof ServerCommand)[keyof typeof ServerCommand];

/** JSON-RPC error codes the client treats specially. */
export const ErrorCodes = {
  InvalidParams: -32602,
  MethodNotFound: -32601,
  InternalError: -32603,
  RequestCancelled: -32800,
  ServerCancelled: -32802,
  ContentModified: -32801,
} as const;
