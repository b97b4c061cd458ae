/** The webview panels: sliders (preview and apply) and the feature readout. */
import * as vscode from 'vscode';
import { featuresHtml, makeNonce, sliderHtml } from './core/html';
import type { FeaturesResult, Range } from './core/protocol';
import type { ProgressKind } from './core/results';
import { SliderController, type FromWebview } from './core/slider';
import { showOutcome } from './runner';

export interface PanelRunner {
  execute<T>(kind: ProgressKind, command: string, args: object): Promise<T>;
}

export class SliderPanel implements vscode.Disposable {
  static readonly viewType = 'refract.sliders';
  private panel: vscode.WebviewPanel | undefined;
  private listeners: vscode.Disposable[] = [];

  constructor(private readonly runner: PanelRunner) {}

  /** Opens the panel for the selection in `editor` (replacing a panel already open). */
  open(editor: vscode.TextEditor, range: Range): void {
    this.close();
    const text = editor.document.getText(
      new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character),
    );
    const panel = vscode.window.createWebviewPanel(
      SliderPanel.viewType,
      'Refract Sliders',
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      { enableScripts: true, localResourceRoots: [], retainContextWhenHidden: false },
    );
    const controller = new SliderController(
      {
        execute: (command, args, progress) => this.runner.execute(progress, command, args),
        post: (message) => panel.webview.postMessage(message),
        report: showOutcome,
      },
      editor.document.uri.toString(),
      range,
      text,
    );
    this.panel = panel;
    panel.webview.html = sliderHtml(panel.webview.cspSource, makeNonce());
    this.listeners.push(
      panel.webview.onDidReceiveMessage((m: FromWebview) => controller.handle(m)),
      panel.onDidDispose(() => {
        if (this.panel === panel) {
          this.panel = undefined;
          for (const l of this.listeners) l.dispose();
          this.listeners = [];
        }
      }),
    );
  }

  get isOpen(): boolean {
    return this.panel !== undefined;
  }

  close(): void {
    const p = this.panel;
    this.panel = undefined;
    for (const l of this.listeners) l.dispose();
    this.listeners = [];
    p?.dispose();
  }

  dispose(): void {
    this.close();
  }
}

export class FeaturesPanel implements vscode.Disposable {
  static readonly viewType = 'refract.features';
  private panel: vscode.WebviewPanel | undefined;

  async show(excerpt: string, result: FeaturesResult): Promise<void> {
    let rendered: string | undefined;
    if (result.markdown) {
      try {
        // VS Code's built-in Markdown extension renders (and sanitises) Markdown to HTML.
        rendered = await vscode.commands.executeCommand<string>('markdown.api.render', result.markdown);
      } catch {
        rendered = undefined; // shown as preformatted text instead
      }
    }
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel(
        FeaturesPanel.viewType,
        'Refract Features',
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
        { enableScripts: false, localResourceRoots: [] },
      );
      this.panel.onDidDispose(() => (this.panel = undefined));
    } else {
      this.panel.reveal(vscode.ViewColumn.Beside, true);
    }
    this.panel.webview.html = featuresHtml(this.panel.webview.cspSource, makeNonce(), {
      excerpt,
      result,
      renderedMarkdown: typeof rendered === 'string' && rendered ? rendered : undefined,
    });
  }

  dispose(): void {
    this.panel?.dispose();
  }
}
