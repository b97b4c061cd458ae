/**
 * The editor commands (palette and context menu). Each takes the active editor's selection,
 * builds the one argument object (core/args), runs the server command with progress, and
 * shows the result.
 */
import * as vscode from 'vscode';
import {
  applyPatchArgs,
  applyTextArgs,
  blendArgs,
  defaultPatchPath,
  featureArgs,
  featuresArgs,
  parseFeatureValue,
  pasteStyleArgs,
  rewriteArgs,
  savePatchArgs,
  selectionRange,
  validateFeatureName,
  validateFeatureValue,
  validatePatchPath,
  variationsArgs,
} from './core/args';
import { blendDone, blendPickItems } from './core/blend';
import { documentProblem } from './core/languages';
import type {
  CopyStyleResult,
  FeaturesResult,
  ListPatchesResult,
  Range,
  RewriteResult,
  SavePatchResult,
  VariationsResult,
} from './core/protocol';
import { ServerCommand } from './core/protocol';
import {
  absolutePath,
  applyOutcome,
  candidateItems,
  copyStyleMessage,
  errorOutcome,
  noPatchesMessage,
  oneLine,
  patchItems,
  rewriteOutcome,
  savePatchMessage,
  type ProgressKind,
} from './core/results';
import { sentimentPickItems, sentimentVerb } from './core/sentiment';
import { featurePickItems, featureValueItems, formatValue, setFeatureDone } from './core/setFeature';
import { showOutcome } from './runner';

export interface CommandRunner {
  run<T>(kind: ProgressKind, command: string, args: object): Promise<T | undefined>;
}

export interface CommandDeps {
  runner: CommandRunner;
  languages(): string[];
  toggleHeatmap(): Promise<void>;
  openSliders(editor: vscode.TextEditor, range: Range): void;
  showFeatures(excerpt: string, result: FeaturesResult): Promise<void>;
}

/** Ids of the commands this extension contributes (not the server's own refract.* commands). */
export const EditorCommand = {
  shorten: 'refract.editor.shorten',
  lengthen: 'refract.editor.lengthen',
  sentiment: 'refract.editor.sentiment',
  copyStyle: 'refract.editor.copyStyle',
  pasteTone: 'refract.editor.pasteTone',
  pasteTopic: 'refract.editor.pasteTopic',
  blend: 'refract.editor.blend',
  setFeature: 'refract.editor.setFeature',
  savePatch: 'refract.editor.savePatch',
  applyPatch: 'refract.editor.applyPatch',
  variations: 'refract.editor.variations',
  showFeatures: 'refract.editor.showFeatures',
  toggleHeatmap: 'refract.editor.toggleHeatmap',
  openSliders: 'refract.editor.openSliders',
} as const;

interface Target {
  editor: vscode.TextEditor;
  uri: string;
  range: Range;
  text: string;
}

/** The active editor and its (non-empty) selection, or a message and undefined. */
export function target(languages: string[]): Target | undefined {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showErrorMessage('Refract: open a document and select some text first.');
    return undefined;
  }
  const doc = editor.document;
  const problem = documentProblem(doc.languageId, doc.uri.scheme, languages);
  if (problem) {
    void vscode.window.showErrorMessage(problem);
    return undefined;
  }
  try {
    const range = selectionRange(editor.selection);
    return { editor, uri: doc.uri.toString(), range, text: doc.getText(editor.selection) };
  } catch (err) {
    showOutcome(errorOutcome(err));
    return undefined;
  }
}

function guard(fn: () => Promise<void>): () => Promise<void> {
  return async () => {
    try {
      await fn();
    } catch (err) {
      // Only UserErrors and unexpected bugs land here; server errors are shown by the runner.
      showOutcome(errorOutcome(err));
    }
  };
}

export function editorCommands(deps: CommandDeps): Record<string, () => Promise<void>> {
  const { runner } = deps;

  async function rewrite(kind: ProgressKind, op: 'shorten' | 'lengthen' | 'sentiment', done: string, amount?: number) {
    const t = target(deps.languages());
    if (!t) return;
    const result = await runner.run<RewriteResult>(kind, ServerCommand.rewrite, rewriteArgs(t.uri, t.range, op, { amount }));
    if (result) showOutcome(rewriteOutcome(result, done));
  }

  async function pasteStyle(aspect: 'tone' | 'topic') {
    const t = target(deps.languages());
    if (!t) return;
    const kind = aspect === 'tone' ? 'pasteTone' : 'pasteTopic';
    const result = await runner.run<RewriteResult>(kind, ServerCommand.pasteStyle, pasteStyleArgs(t.uri, t.range, aspect));
    if (result) showOutcome(rewriteOutcome(result, `pasted the ${aspect}`));
  }

  return {
    [EditorCommand.shorten]: guard(() => rewrite('shorten', 'shorten', 'shortened')),
    [EditorCommand.lengthen]: guard(() => rewrite('lengthen', 'lengthen', 'lengthened')),

    [EditorCommand.sentiment]: guard(async () => {
      const t = target(deps.languages());
      if (!t) return;
      const pick = await vscode.window.showQuickPick(sentimentPickItems(), {
        title: 'Refract: Sentiment',
        placeHolder: 'How should the sentiment of the selection move?',
      });
      if (!pick) return;
      const result = await runner.run<RewriteResult>(
        'sentiment',
        ServerCommand.rewrite,
        rewriteArgs(t.uri, t.range, 'sentiment', { amount: pick.amount }),
      );
      if (result) showOutcome(rewriteOutcome(result, sentimentVerb(pick.amount).replace(/^making/, 'made')));
    }),

    [EditorCommand.copyStyle]: guard(async () => {
      const t = target(deps.languages());
      if (!t) return;
      const result = await runner.run<CopyStyleResult>('copyStyle', ServerCommand.copyStyle, { uri: t.uri, range: t.range });
      if (result) void vscode.window.showInformationMessage(copyStyleMessage(result));
    }),

    [EditorCommand.pasteTone]: guard(() => pasteStyle('tone')),
    [EditorCommand.pasteTopic]: guard(() => pasteStyle('topic')),

    [EditorCommand.blend]: guard(async () => {
      const t = target(deps.languages());
      if (!t) return;
      const pick = await vscode.window.showQuickPick(blendPickItems(), {
        title: 'Refract: Blend with Copied Passage',
        placeHolder: 'How much of the copied passage should the selection take?',
      });
      if (!pick) return;
      const result = await runner.run<RewriteResult>('blend', ServerCommand.pasteStyle, blendArgs(t.uri, t.range, pick.amount));
      if (result) showOutcome(rewriteOutcome(result, blendDone(pick.amount)));
    }),

    [EditorCommand.setFeature]: guard(async () => {
      const t = target(deps.languages());
      if (!t) return;
      const read = await runner.run<FeaturesResult>('features', ServerCommand.features, featuresArgs(t.uri, t.range));
      if (!read) return;
      const features = read.features ?? [];
      const pick = await vscode.window.showQuickPick(featurePickItems(features), {
        title: 'Refract: Set Feature (1/2)',
        placeHolder: features.length
          ? 'Pick one of the selection\'s strongest features, or name another'
          : 'The selection shows no strong labelled feature; name one by label or id',
      });
      if (!pick) return;
      let feature = pick.feature;
      let name = pick.label;
      if (pick.other || feature === undefined) {
        const typed = await vscode.window.showInputBox({
          title: 'Refract: Set Feature (1/2)',
          prompt: 'A feature label (as Show Features lists them) or a feature id',
          placeHolder: 'e.g. concert / band, or 841',
          validateInput: (v) => validateFeatureName(v),
        });
        if (typed === undefined) return;
        feature = typed.trim();
        name = feature;
      }
      const values = await vscode.window.showQuickPick(featureValueItems(pick.value), {
        title: `Refract: Set Feature "${name}" (2/2)`,
        placeHolder: 'The value to set: 0 turns the feature off, 1 is as strong as in its top examples',
      });
      if (!values) return;
      let amount = values.amount;
      if (values.other || amount === undefined) {
        const typed = await vscode.window.showInputBox({
          title: `Refract: Set Feature "${name}" (2/2)`,
          prompt: 'A value from 0 to 3: 0 turns the feature off, 1 is as strong as in its top examples',
          value: pick.value === undefined ? '1' : formatValue(pick.value),
          validateInput: (v) => validateFeatureValue(v),
        });
        if (typed === undefined) return;
        amount = parseFeatureValue(typed) ?? Number.NaN; // not a number: featureArgs says what to enter
      }
      const result = await runner.run<RewriteResult>(
        'setFeature',
        ServerCommand.rewrite,
        featureArgs(t.uri, t.range, feature, amount),
      );
      if (result) showOutcome(rewriteOutcome(result, setFeatureDone(name, amount)));
    }),

    [EditorCommand.savePatch]: guard(async () => {
      const t = target(deps.languages());
      if (!t) return;
      const name = await vscode.window.showInputBox({
        title: 'Refract: Save Style Patch (1/2)',
        prompt: 'A name for the style patch (optional)',
        placeHolder: 'e.g. formal letter',
      });
      if (name === undefined) return;
      const path = await vscode.window.showInputBox({
        title: 'Refract: Save Style Patch (2/2)',
        prompt: 'Where to save the patch; a relative path is taken relative to the first workspace folder',
        value: defaultPatchPath(name),
        validateInput: (v) => validatePatchPath(v),
      });
      if (path === undefined) return;
      const result = await runner.run<SavePatchResult>(
        'savePatch',
        ServerCommand.savePatch,
        savePatchArgs(t.uri, t.range, path, name),
      );
      if (!result) return;
      const choice = await vscode.window.showInformationMessage(savePatchMessage(result), 'Open Patch');
      if (choice === 'Open Patch') {
        const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
        await vscode.window.showTextDocument(vscode.Uri.file(absolutePath(result.path, folder)), { preview: true });
      }
    }),

    [EditorCommand.applyPatch]: guard(async () => {
      const t = target(deps.languages());
      if (!t) return;
      const list = await runner.run<ListPatchesResult>('listPatches', ServerCommand.listPatches, {});
      if (!list) return;
      if (!list.patches?.length) {
        void vscode.window.showInformationMessage(noPatchesMessage());
        return;
      }
      const folders = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
      const pick = await vscode.window.showQuickPick(patchItems(list.patches, folders), {
        title: 'Refract: Apply Style Patch',
        placeHolder: 'Pick a style patch to apply to the selection',
        matchOnDescription: true,
        matchOnDetail: true,
      });
      if (!pick) return;
      const result = await runner.run<RewriteResult>(
        'applyPatch',
        ServerCommand.applyPatch,
        applyPatchArgs(t.uri, t.range, pick.path),
      );
      if (result) showOutcome(rewriteOutcome(result, `applied the patch "${pick.label}"`));
    }),

    [EditorCommand.variations]: guard(async () => {
      const t = target(deps.languages());
      if (!t) return;
      const result = await runner.run<VariationsResult>('variations', ServerCommand.variations, variationsArgs(t.uri, t.range));
      if (!result) return;
      if (!result.candidates?.length) {
        void vscode.window.showInformationMessage('Refract found no variations of this passage.');
        return;
      }
      const pick = await vscode.window.showQuickPick(candidateItems(result.candidates), {
        title: `Refract: Variations of "${oneLine(t.text, 50)}"`,
        placeHolder: 'Pick a variation to replace the selection',
        matchOnDescription: false,
      });
      if (!pick) return;
      const applied = await runner.run<{ applied: boolean; reason?: string | null }>(
        'apply',
        ServerCommand.applyText,
        applyTextArgs(t.uri, t.range, pick.text, result.version),
      );
      if (applied) showOutcome(applyOutcome(applied));
    }),

    [EditorCommand.showFeatures]: guard(async () => {
      const t = target(deps.languages());
      if (!t) return;
      const result = await runner.run<FeaturesResult>('features', ServerCommand.features, featuresArgs(t.uri, t.range));
      if (result) await deps.showFeatures(oneLine(t.text, 400), result);
    }),

    [EditorCommand.toggleHeatmap]: guard(() => deps.toggleHeatmap()),

    [EditorCommand.openSliders]: guard(async () => {
      const t = target(deps.languages());
      if (!t) return;
      deps.openSliders(t.editor, t.range);
    }),
  };
}

