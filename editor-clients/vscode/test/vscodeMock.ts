/**
 * A small stand-in for the `vscode` module (a real VS Code cannot run in these tests).
 * Test files install it with `vi.mock('vscode', () => import('./vscodeMock'))` and reset it
 * with `reset()` before each test. Only what the extension uses is here, and calls are recorded
 * so tests can assert what the writer would have seen.
 */
import { vi } from 'vitest';

export class Position {
  constructor(
    readonly line: number,
    readonly character: number,
  ) {}
}

export class Range {
  readonly start: Position;
  readonly end: Position;
  constructor(a: Position | number, b: Position | number, c?: number, d?: number) {
    if (typeof a === 'number') {
      this.start = new Position(a, b as number);
      this.end = new Position(c as number, d as number);
    } else {
      this.start = a;
      this.end = b as Position;
    }
  }
  get isEmpty(): boolean {
    return this.start.line === this.end.line && this.start.character === this.end.character;
  }
}

export class Selection extends Range {
  constructor(anchorLine: number, anchorCharacter: number, activeLine: number, activeCharacter: number) {
    const forward = anchorLine < activeLine || (anchorLine === activeLine && anchorCharacter <= activeCharacter);
    super(
      ...((forward
        ? [anchorLine, anchorCharacter, activeLine, activeCharacter]
        : [activeLine, activeCharacter, anchorLine, anchorCharacter]) as [number, number, number, number]),
    );
  }
}

export class MarkdownString {
  constructor(public value = '') {}
}

export class EventEmitter<T> {
  private listeners: Array<(e: T) => unknown> = [];
  event = (listener: (e: T) => unknown) => {
    this.listeners.push(listener);
    return { dispose: () => (this.listeners = this.listeners.filter((l) => l !== listener)) };
  };
  fire(e: T): void {
    for (const l of [...this.listeners]) l(e);
  }
  dispose(): void {
    this.listeners = [];
  }
}

export class CancellationTokenSource {
  private emitter = new EventEmitter<void>();
  token = {
    isCancellationRequested: false,
    onCancellationRequested: this.emitter.event,
  };
  cancel(): void {
    this.token.isCancellationRequested = true;
    this.emitter.fire();
  }
  dispose(): void {}
}

export enum StatusBarAlignment {
  Left = 1,
  Right = 2,
}
export enum ViewColumn {
  Active = -1,
  Beside = -2,
  One = 1,
}
export enum OverviewRulerLane {
  Left = 1,
  Center = 2,
  Right = 4,
  Full = 7,
}
export enum DecorationRangeBehavior {
  OpenOpen = 0,
  ClosedClosed = 1,
  OpenClosed = 2,
  ClosedOpen = 3,
}

export interface FakeUri {
  scheme: string;
  fsPath: string;
  path: string;
  toString(): string;
}

export const Uri = {
  file(path: string): FakeUri {
    return { scheme: 'file', fsPath: path, path, toString: () => `file://${path}` };
  },
  parse(value: string): FakeUri {
    const m = /^([a-z-]+):(?:\/\/)?(.*)$/.exec(value);
    const scheme = m?.[1] ?? 'file';
    const path = m?.[2] ?? value;
    return { scheme, fsPath: path, path, toString: () => value };
  },
};

/* ------------------------------------------------------------------ documents and editors */

export class FakeDocument {
  version = 1;
  constructor(
    public text: string,
    readonly languageId = 'markdown',
    readonly uri: FakeUri = Uri.file('/work/doc.md'),
  ) {}
  private offset(p: Position): number {
    const lines = this.text.split('\n');
    let o = 0;
    for (let i = 0; i < p.line; i++) o += lines[i].length + 1;
    return o + p.character;
  }
  getText(range?: Range): string {
    if (!range) return this.text;
    return this.text.slice(this.offset(range.start), this.offset(range.end));
  }
  /** Simulates the writer typing: replaces the text, bumps the version, fires the change event. */
  edit(newText: string): void {
    this.text = newText;
    this.version += 1;
    state.onDidChangeTextDocument.fire({ document: this, contentChanges: [{ text: newText }] });
  }
}

export class FakeEditor {
  decorations = new Map<unknown, Array<{ range: Range; hoverMessage?: MarkdownString }>>();
  constructor(
    readonly document: FakeDocument,
    public selection: Selection = new Selection(0, 0, 0, 0),
  ) {}
  setDecorations(type: unknown, options: Array<{ range: Range; hoverMessage?: MarkdownString }>): void {
    this.decorations.set(type, options);
  }
  /** All decorations currently drawn, with the background colour of their type. */
  drawn(): Array<{ colour: string; range: Range; hover: string }> {
    const out: Array<{ colour: string; range: Range; hover: string }> = [];
    for (const [type, options] of this.decorations) {
      const t = type as FakeDecorationType;
      if (t.disposed) continue;
      for (const o of options) out.push({ colour: t.options.backgroundColor, range: o.range, hover: o.hoverMessage?.value ?? '' });
    }
    return out;
  }
}

export class FakeDecorationType {
  disposed = false;
  constructor(readonly options: { backgroundColor: string; [k: string]: unknown }) {}
  dispose(): void {
    this.disposed = true;
  }
}

export class FakeStatusBarItem {
  text = '';
  tooltip: string | undefined;
  command: string | undefined;
  name: string | undefined;
  visible = false;
  show(): void {
    this.visible = true;
  }
  hide(): void {
    this.visible = false;
  }
  dispose(): void {
    this.visible = false;
  }
}

export class FakeWebview {
  html = '';
  cspSource = 'vscode-webview://fake';
  posted: unknown[] = [];
  private receive = new EventEmitter<unknown>();
  onDidReceiveMessage = this.receive.event;
  postMessage(m: unknown): Promise<boolean> {
    this.posted.push(m);
    return Promise.resolve(true);
  }
  /** Simulates the webview script posting a message to the extension. */
  send(m: unknown): void {
    this.receive.fire(m);
  }
}

export class FakeWebviewPanel {
  webview = new FakeWebview();
  disposed = false;
  private disposeEmitter = new EventEmitter<void>();
  onDidDispose = this.disposeEmitter.event;
  constructor(
    readonly viewType: string,
    readonly title: string,
    readonly options: Record<string, unknown>,
  ) {}
  reveal(): void {}
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.disposeEmitter.fire();
  }
}

/* ------------------------------------------------------------------ recorded state */

function freshState() {
  return {
    errors: [] as string[],
    warnings: [] as string[],
    infos: [] as string[],
    statusMessages: [] as string[],
    quickPicks: [] as Array<{ items: unknown[]; options: unknown }>,
    inputBoxes: [] as Array<Record<string, unknown>>,
    /** Answers the next showQuickPick gets: a function of the items, or undefined (dismissed). */
    quickPickAnswers: [] as Array<((items: any[]) => unknown) | undefined>,
    inputBoxAnswers: [] as Array<string | undefined>,
    messageAnswers: [] as Array<string | undefined>,
    statusItems: [] as FakeStatusBarItem[],
    decorationTypes: [] as FakeDecorationType[],
    panels: [] as FakeWebviewPanel[],
    executed: [] as Array<{ command: string; args: unknown[] }>,
    registered: new Map<string, (...args: unknown[]) => unknown>(),
    config: {} as Record<string, unknown>,
    onDidChangeTextDocument: new EventEmitter<unknown>(),
    onDidChangeActiveTextEditor: new EventEmitter<unknown>(),
    onDidChangeVisibleTextEditors: new EventEmitter<unknown>(),
    onDidChangeConfiguration: new EventEmitter<unknown>(),
    commandResults: {} as Record<string, unknown>,
  };
}

export let state = freshState();

export const window = {
  activeTextEditor: undefined as FakeEditor | undefined,
  visibleTextEditors: [] as FakeEditor[],
  showErrorMessage: vi.fn(async (m: string, ..._items: string[]) => {
    state.errors.push(m);
    return state.messageAnswers.shift();
  }),
  showWarningMessage: vi.fn(async (m: string, ..._items: string[]) => {
    state.warnings.push(m);
    return state.messageAnswers.shift();
  }),
  showInformationMessage: vi.fn(async (m: string, ..._items: string[]) => {
    state.infos.push(m);
    return state.messageAnswers.shift();
  }),
  setStatusBarMessage: vi.fn((m: string) => {
    state.statusMessages.push(m);
    return { dispose() {} };
  }),
  showQuickPick: vi.fn(async (items: unknown[], options: unknown) => {
    state.quickPicks.push({ items, options });
    const answer = state.quickPickAnswers.shift();
    return answer ? answer(items as any[]) : undefined;
  }),
  showInputBox: vi.fn(async (options: Record<string, unknown>) => {
    state.inputBoxes.push(options);
    return state.inputBoxAnswers.shift();
  }),
  showTextDocument: vi.fn(async () => undefined),
  createStatusBarItem: vi.fn(() => {
    const item = new FakeStatusBarItem();
    state.statusItems.push(item);
    return item;
  }),
  createTextEditorDecorationType: vi.fn((options: { backgroundColor: string }) => {
    const t = new FakeDecorationType(options);
    state.decorationTypes.push(t);
    return t;
  }),
  createWebviewPanel: vi.fn((viewType: string, title: string, _column: unknown, options: Record<string, unknown>) => {
    const p = new FakeWebviewPanel(viewType, title, options);
    state.panels.push(p);
    return p;
  }),
  createOutputChannel: vi.fn(() => ({ appendLine: vi.fn(), append: vi.fn(), show: vi.fn(), dispose: vi.fn() })),
  get onDidChangeActiveTextEditor() {
    return state.onDidChangeActiveTextEditor.event;
  },
  get onDidChangeVisibleTextEditors() {
    return state.onDidChangeVisibleTextEditors.event;
  },
};

export const workspace = {
  workspaceFolders: undefined as Array<{ uri: FakeUri }> | undefined,
  getConfiguration: vi.fn((section: string) => ({
    get: <T>(key: string, fallback?: T) => (state.config[`${section}.${key}`] as T) ?? fallback,
  })),
  get onDidChangeTextDocument() {
    return state.onDidChangeTextDocument.event;
  },
  get onDidChangeConfiguration() {
    return state.onDidChangeConfiguration.event;
  },
};

export const commands = {
  executeCommand: vi.fn(async (command: string, ...args: unknown[]) => {
    state.executed.push({ command, args });
    const r = state.commandResults[command];
    if (r instanceof Error) throw r;
    return r;
  }),
  registerCommand: vi.fn((id: string, fn: (...args: unknown[]) => unknown) => {
    state.registered.set(id, fn);
    return { dispose: () => state.registered.delete(id) };
  }),
};

/** Fresh recorded state and a clean window before each test. */
export function reset(): void {
  state = freshState();
  window.activeTextEditor = undefined;
  window.visibleTextEditors = [];
  workspace.workspaceFolders = undefined;
  vi.clearAllMocks();
}

/** Opens a document in a fake editor, makes it active and visible, with `selected` selected. */
export function openEditor(text: string, selected?: string, languageId = 'markdown', uri = Uri.file('/work/doc.md')): FakeEditor {
  const doc = new FakeDocument(text, languageId, uri);
  let selection = new Selection(0, 0, 0, 0);
  if (selected !== undefined) {
    const at = text.indexOf(selected);
    if (at < 0) throw new Error(`"${selected}" is not in the text`);
    const pos = (offset: number) => {
      const before = text.slice(0, offset).split('\n');
      return [before.length - 1, before[before.length - 1].length] as const;
    };
    const [l0, c0] = pos(at);
    const [l1, c1] = pos(at + selected.length);
    selection = new Selection(l0, c0, l1, c1);
  }
  const editor = new FakeEditor(doc, selection);
  window.activeTextEditor = editor;
  window.visibleTextEditors = [editor];
  return editor;
}
