/** A stand-in for `vscode-languageclient/node`: records how clients are built, started and stopped. */
import { vi } from 'vitest';

export enum State {
  Stopped = 1,
  Starting = 3,
  Running = 2,
}
export enum TransportKind {
  stdio = 0,
}
export enum RevealOutputChannelOn {
  Debug = 0,
  Info = 1,
  Warn = 2,
  Error = 3,
  Never = 4,
}
export const ExecuteCommandRequest = { type: { method: 'workspace/executeCommand' } };

export const clients: LanguageClient[] = [];
export const behaviour = { failStart: undefined as Error | undefined };

export class LanguageClient {
  state = State.Stopped;
  requests: Array<{ type: unknown; params: any; token: unknown }> = [];
  start = vi.fn(async () => {
    if (behaviour.failStart) throw behaviour.failStart;
    this.state = State.Running;
  });
  stop = vi.fn(async () => {
    this.state = State.Stopped;
  });
  dispose = vi.fn(async () => undefined);
  sendRequest = vi.fn(async (type: unknown, params: any, token: unknown) => {
    this.requests.push({ type, params, token });
    return { echoed: params };
  });
  constructor(
    readonly id: string,
    readonly name: string,
    readonly serverOptions: any,
    readonly clientOptions: any,
  ) {
    clients.push(this);
  }
}

export function resetClients(): void {
  clients.length = 0;
  behaviour.failStart = undefined;
}
