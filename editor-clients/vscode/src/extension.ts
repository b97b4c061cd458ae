/** Entry point: wires the language client, commands, heat map and panels together. */
import * as vscode from 'vscode';
import { editorCommands } from './commands';
import { HeatmapController } from './heatmapView';
import { FeaturesPanel, SliderPanel } from './panels';
import { commandResultOutcome, errorOutcome, progressKindFor, progressKindForTitle } from './core/results';
import { Runner, showOutcome } from './runner';
import { configuredLanguages, ServerManager } from './server';

let manager: ServerManager | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('Refract');
  // Code actions that carry a refract.* command run it through the language client; show
  // progress for them too, and the server's error message or refusal reason as for our commands.
  const runner: Runner = new Runner((command, args, token): Promise<unknown> => server.execute(command, args, token));
  const server: ServerManager = new ServerManager(output, {
    executeCommand: async (command, args, next) => {
      const run = () => next(command, args);
      try {
        const result = await runner.track(progressKindFor(command, args[0]), run);
        const outcome = commandResultOutcome(result);
        if (outcome) showOutcome(outcome);
        return result;
      } catch (err) {
        showOutcome(errorOutcome(err));
        return undefined;
      }
    },
    // Code actions compute their edit on resolve (model work): show the spinner meanwhile.
    resolveCodeAction: async (item, token, next) => {
      const run = () => Promise.resolve(next(item, token));
      try {
        return await runner.track(progressKindForTitle(item.title), run);
      } catch (err) {
        showOutcome(errorOutcome(err));
        return item;
      }
    },
  });
  manager = server;
  const heatmap = new HeatmapController(runner, configuredLanguages);
  const sliders = new SliderPanel(runner);
  const features = new FeaturesPanel();
  context.subscriptions.push(output, server, runner, heatmap, sliders, features);

  const commands = editorCommands({
    runner,
    languages: configuredLanguages,
    toggleHeatmap: () => heatmap.toggle(),
    openSliders: (editor, range) => sliders.open(editor, range),
    showFeatures: (excerpt, result) => features.show(excerpt, result),
  });
  for (const [id, handler] of Object.entries(commands)) {
    context.subscriptions.push(vscode.commands.registerCommand(id, handler));
  }
  context.subscriptions.push(
    vscode.commands.registerCommand('refract.restartServer', async () => {
      heatmap.disable();
      sliders.close();
      await server.restart();
    }),
    vscode.commands.registerCommand('refract.showOutput', () => output.show(true)),
    vscode.commands.registerCommand('refract.cancel', () => {
      const n = runner.cancelAll();
      vscode.window.setStatusBarMessage(n ? 'Refract: cancelling…' : 'Refract: nothing to cancel', 3000);
    }),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (e.affectsConfiguration('refract.server.path') || e.affectsConfiguration('refract.languages')) {
        const choice = await vscode.window.showInformationMessage(
          'Refract: restart the language server to use the new setting?',
          'Restart',
        );
        if (choice === 'Restart') await vscode.commands.executeCommand('refract.restartServer');
      }
    }),
  );

  void server.start(); // commands wait for it; activation does not
}

export async function deactivate(): Promise<void> {
  await manager?.stop();
  manager = undefined;
}
