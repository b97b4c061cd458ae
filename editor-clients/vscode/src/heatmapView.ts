/**
 * The heat map: colours each sentence of the active document by its value on an axis or
 * feature (refract.heatmap), re-requested a moment after edits, cleared when toggled off.
 */
import * as vscode from 'vscode';
import { heatmapArgs } from './core/args';
import { debounce, type Debounced } from './core/debounce';
import { bucketColour, groupByBucket, heatDecorations, heatStatus, HEAT_BUCKETS } from './core/heatmap';
import { documentProblem } from './core/languages';
import type { HeatmapResult } from './core/protocol';
import { ServerCommand } from './core/protocol';
import { errorOutcome, type ProgressKind } from './core/results';
import { showOutcome } from './runner';

export interface HeatmapRunner {
  execute<T>(kind: ProgressKind, command: string, args: object): Promise<T>;
}

export const HEATMAP_DEBOUNCE_MS = 1000;

interface Drawn {
  version: number;
  map: HeatmapResult;
}

export class HeatmapController implements vscode.Disposable {
  private on = false;
  private types: vscode.TextEditorDecorationType[] = [];
  private readonly drawn = new Map<string, Drawn>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly refreshSoon: Debounced<[vscode.TextDocument]>;
  private readonly item: vscode.StatusBarItem;
  private inFlight = new Set<string>();

  constructor(
    private readonly runner: HeatmapRunner,
    private readonly languages: () => string[],
    debounceMs = HEATMAP_DEBOUNCE_MS,
  ) {
    this.refreshSoon = debounce((doc: vscode.TextDocument) => void this.refreshDocument(doc), debounceMs);
    this.item = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Right, 100);
    this.item.name = 'Refract heat map';
    this.item.command = 'refract.editor.toggleHeatmap';
    this.item.tooltip = 'Refract heat map: click to turn it off';
    this.subscriptions.push(
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (this.on && e.contentChanges.length && this.isShown(e.document)) this.refreshSoon(e.document);
      }),
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        if (this.on && editor) void this.show(editor);
      }),
      vscode.window.onDidChangeVisibleTextEditors((editors) => {
        if (this.on) for (const e of editors) this.paint(e);
      }),
    );
  }

  get enabled(): boolean {
    return this.on;
  }

  async toggle(): Promise<void> {
    if (this.on) {
      this.disable();
      return;
    }
    const editor = vscode.window.activeTextEditor;
    if (!editor) {
      void vscode.window.showErrorMessage('Refract: open a document to show its heat map.');
      return;
    }
    const problem = documentProblem(editor.document.languageId, editor.document.uri.scheme, this.languages());
    if (problem) {
      void vscode.window.showErrorMessage(problem);
      return;
    }
    this.on = true;
    void vscode.commands.executeCommand('setContext', 'refract.heatmapOn', true);
    await this.show(editor);
  }

  disable(): void {
    this.on = false;
    this.refreshSoon.cancel();
    this.drawn.clear();
    for (const t of this.types) t.dispose(); // disposing a decoration type removes it everywhere
    this.types = [];
    this.item.hide();
    void vscode.commands.executeCommand('setContext', 'refract.heatmapOn', false);
  }

  private isShown(doc: vscode.TextDocument): boolean {
    return vscode.window.visibleTextEditors.some((e) => e.document === doc);
  }

  private ensureTypes(): vscode.TextEditorDecorationType[] {
    if (this.types.length === 0) {
      for (let i = 0; i < HEAT_BUCKETS; i++) {
        const colour = bucketColour(i);
        this.types.push(
          vscode.window.createTextEditorDecorationType({
            backgroundColor: colour,
            overviewRulerColor: colour,
            overviewRulerLane: vscode.OverviewRulerLane.Right,
            rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
          }),
        );
      }
    }
    return this.types;
  }

  private async show(editor: vscode.TextEditor): Promise<void> {
    const doc = editor.document;
    if (documentProblem(doc.languageId, doc.uri.scheme, this.languages())) return;
    const drawn = this.drawn.get(doc.uri.toString());
    if (drawn && drawn.version === doc.version) {
      this.paint(editor);
      return;
    }
    await this.refreshDocument(doc);
  }

  /** Asks the server for the document's heat map and draws it, unless the text moved on meanwhile. */
  async refreshDocument(doc: vscode.TextDocument): Promise<void> {
    const uri = doc.uri.toString();
    if (!this.on || this.inFlight.has(uri)) {
      if (this.on) this.refreshSoon(doc); // try again once the running request is done
      return;
    }
    const version = doc.version;
    this.inFlight.add(uri);
    try {
      const map = await this.runner.execute<HeatmapResult>('heatmap', ServerCommand.heatmap, heatmapArgs(uri));
      if (!this.on) return;
      if (doc.version !== version) {
        this.refreshSoon(doc); // ranges would be stale; the edit that moved it schedules a fresh map
        return;
      }
      this.drawn.set(uri, { version, map });
      for (const e of vscode.window.visibleTextEditors) if (e.document === doc) this.paint(e);
    } catch (err) {
      const outcome = errorOutcome(err, 'the heat map');
      if (outcome.level !== 'silent') {
        showOutcome(outcome);
        this.disable();
      }
    } finally {
      this.inFlight.delete(uri);
    }
  }

  /** Draws the stored map of the editor's document, or clears it when there is none. */
  paint(editor: vscode.TextEditor): void {
    const drawn = this.drawn.get(editor.document.uri.toString());
    const types = this.ensureTypes();
    const groups = drawn ? groupByBucket(heatDecorations(drawn.map)) : [];
    types.forEach((type, i) => {
      const options: vscode.DecorationOptions[] = (groups[i] ?? []).map((d) => ({
        range: new vscode.Range(d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character),
        hoverMessage: new vscode.MarkdownString(d.hover),
      }));
      editor.setDecorations(type, options);
    });
    if (drawn && editor === vscode.window.activeTextEditor) {
      this.item.text = heatStatus(drawn.map);
      this.item.show();
    }
  }

  dispose(): void {
    this.disable();
    this.item.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}
