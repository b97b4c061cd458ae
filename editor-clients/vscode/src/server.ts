/** Starting, stopping and restarting `refract serve` under a vscode-languageclient LanguageClient. */
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import {
  ExecuteCommandRequest,
  LanguageClient,
  RevealOutputChannelOn,
  State,
  TransportKind,
  type LanguageClientOptions,
  type Middleware,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { describeAttempts, discoverServer, type FileProbe } from './core/discovery';
import { documentSelector, normaliseLanguages } from './core/languages';

export const nodeProbe: FileProbe = {
  isExecutableFile(path: string): boolean {
    try {
      if (!fs.statSync(path).isFile()) return false;
      if (process.platform !== 'win32') fs.accessSync(path, fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  },
};

export function configuredLanguages(): string[] {
  return normaliseLanguages(vscode.workspace.getConfiguration('refract').get<string[]>('languages'));
}

export function findServer() {
  const refract = vscode.workspace.getConfiguration('refract');
  const python = vscode.workspace.getConfiguration('python');
  return discoverServer(
    {
      configuredPath: refract.get<string>('server.path') || undefined,
      workspaceFolders: (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath),
      pythonInterpreter: python.get<string>('defaultInterpreterPath') || undefined,
      env: process.env,
      platform: process.platform,
    },
    nodeProbe,
  );
}

export class ServerManager implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private starting: Promise<void> | undefined;

  constructor(
    private readonly output: vscode.OutputChannel,
    private readonly middleware: Middleware = {},
  ) {}

  get running(): boolean {
    return this.client?.state === State.Running;
  }

  /** Sends `workspace/executeCommand` with one argument object and answers the result. */
  async execute(command: string, args: object, token?: vscode.CancellationToken): Promise<unknown> {
    if (this.starting) await this.starting;
    const client = this.client;
    if (!client) {
      throw new Error('the Refract language server is not running');
    }
    return client.sendRequest(ExecuteCommandRequest.type, { command, arguments: [args] }, token);
  }

  start(): Promise<void> {
    this.starting ??= this.doStart().finally(() => (this.starting = undefined));
    return this.starting;
  }

  private async doStart(): Promise<void> {
    const found = findServer();
    if (!found.found) {
      this.output.appendLine(`${found.message}\nTried:\n${describeAttempts(found.tried)}`);
      const choice = await vscode.window.showErrorMessage(found.message, 'Open Settings', 'Show Output');
      if (choice === 'Open Settings') void vscode.commands.executeCommand('workbench.action.openSettings', 'refract.server.path');
      if (choice === 'Show Output') this.output.show(true);
      return;
    }
    this.output.appendLine(`Starting ${found.path} serve (found via ${found.source})`);
    const cwd = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    const serverOptions: ServerOptions = {
      command: found.path,
      args: ['serve'],
      transport: TransportKind.stdio,
      options: { cwd, env: process.env },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: documentSelector(configuredLanguages()),
      synchronize: { configurationSection: 'refract' },
      outputChannel: this.output,
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      middleware: this.middleware,
      initializationFailedHandler: (error) => {
        this.output.appendLine(`Refract server failed to initialize: ${String(error)}`);
        void vscode.window.showErrorMessage(`Refract: the language server failed to start: ${String(error)}. See the Refract output.`);
        return false;
      },
    };
    const client = new LanguageClient('refract', 'Refract', serverOptions, clientOptions);
    this.client = client;
    try {
      await client.start();
    } catch (err) {
      this.output.appendLine(`Refract server did not start: ${String(err)}`);
      void vscode.window
        .showErrorMessage(`Refract: could not start ${found.path} serve: ${(err as Error)?.message ?? err}`, 'Show Output')
        .then((c) => c && this.output.show(true));
    }
  }

  async stop(): Promise<void> {
    if (this.starting) await this.starting.catch(() => undefined);
    const client = this.client;
    this.client = undefined;
    if (!client) return;
    try {
      if (client.state !== State.Stopped) await client.stop(3000);
    } catch (err) {
      this.output.appendLine(`Refract server did not stop cleanly: ${String(err)}`);
    }
    await client.dispose().catch(() => undefined);
  }

  async restart(): Promise<void> {
    this.output.appendLine('Restarting the Refract language server…');
    await this.stop();
    await this.start();
    if (this.running) vscode.window.setStatusBarMessage('Refract: language server restarted', 4000);
  }

  dispose(): void {
    void this.stop();
  }
}
