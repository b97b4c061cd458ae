/**
 * Runs server commands for the UI: shows "$(sync~spin) Refract: shortening…" in the status
 * bar while a command runs (click it to cancel), and shows failures as error messages with the
 * server's own wording.
 */
import * as vscode from 'vscode';
import { errorOutcome, progressText, PROGRESS, type Outcome, type ProgressKind } from './core/results';

/** Sends `workspace/executeCommand` with one argument object. */
export type Send = (command: string, args: object, token: vscode.CancellationToken) => Promise<unknown>;

export function showOutcome(outcome: Outcome): void {
  switch (outcome.level) {
    case 'status':
      vscode.window.setStatusBarMessage(outcome.message, 5000);
      return;
    case 'info':
      void vscode.window.showInformationMessage(outcome.message);
      return;
    case 'warning':
      void vscode.window.showWarningMessage(outcome.message);
      return;
    case 'error':
      void vscode.window.showErrorMessage(outcome.message);
      return;
    case 'silent':
      vscode.window.setStatusBarMessage(outcome.message, 3000);
      return;
  }
}

interface Running {
  kind: ProgressKind;
  source: vscode.CancellationTokenSource;
}

export class Runner implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly running: Running[] = [];

  constructor(private readonly send: Send) {
    this.item = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 100);
    this.item.name = 'Refract progress';
    this.item.command = 'refract.cancel';
  }

  get busy(): boolean {
    return this.running.length > 0;
  }

  private update(): void {
    const last = this.running[this.running.length - 1];
    void vscode.commands.executeCommand('setContext', 'refract.busy', this.running.length > 0);
    if (!last) {
      this.item.hide();
      return;
    }
    this.item.text = progressText(last.kind);
    this.item.tooltip = `Refract is ${PROGRESS[last.kind].replace('…', '')}. Click to cancel.`;
    this.item.show();
  }

  /** Runs a server command; throws the server's error. */
  execute<T>(kind: ProgressKind, command: string, args: object): Promise<T> {
    return this.track(kind, (token) => this.send(command, args, token) as Promise<T>);
  }

  /** Shows the spinner while `work` runs (for commands sent by the language client itself). */
  async track<T>(kind: ProgressKind, work: (token: vscode.CancellationToken) => Promise<T>): Promise<T> {
    const entry: Running = { kind, source: new vscode.CancellationTokenSource() };
    this.running.push(entry);
    this.update();
    try {
      return await work(entry.source.token);
    } finally {
      this.running.splice(this.running.indexOf(entry), 1);
      entry.source.dispose();
      this.update();
    }
  }

  /** Runs a server command; shows any failure and answers undefined. */
  async run<T>(kind: ProgressKind, command: string, args: object): Promise<T | undefined> {
    try {
      return await this.execute<T>(kind, command, args);
    } catch (err) {
      showOutcome(errorOutcome(err, PROGRESS[kind].replace('…', '')));
      return undefined;
    }
  }

  /** Cancels every running command (the server stops between sentences and applies nothing). */
  cancelAll(): number {
    const n = this.running.length;
    for (const r of this.running) r.source.cancel();
    return n;
  }

  dispose(): void {
    this.cancelAll();
    this.item.dispose();
  }
}
