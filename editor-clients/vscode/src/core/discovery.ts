/**
 * Finding the `refract` executable that serves the language server. Pure: the file system
 * and environment come in as arguments, so every rule is testable without VS Code.
 *
 * Order: the `refract.server.path` setting (explicit; no fallback if it is wrong), then the
 * workspace's `.venv` and `venv`, then next to the interpreter in `python.defaultInterpreterPath`,
 * then `refract` on PATH.
 */
import * as nodePath from 'node:path';

export interface DiscoveryInput {
  /** `refract.server.path`, if set. */
  configuredPath?: string;
  /** File-system paths of the open workspace folders, first one first. */
  workspaceFolders: string[];
  /** `python.defaultInterpreterPath`, if set. */
  pythonInterpreter?: string;
  /** Environment variables (PATH, PATHEXT, HOME, ...). */
  env: Record<string, string | undefined>;
  platform: string;
}

export interface FileProbe {
  /** True when `path` exists, is a file (or a link to one) and may be executed. */
  isExecutableFile(path: string): boolean;
}

export interface Attempt {
  path: string;
  source: string;
}

export type Discovery =
  | { found: true; path: string; source: string; tried: Attempt[] }
  | { found: false; tried: Attempt[]; message: string };

function pathApi(platform: string) {
  return platform === 'win32' ? nodePath.win32 : nodePath.posix;
}

function executableNames(platform: string, env: Record<string, string | undefined>, base = 'refract'): string[] {
  if (platform !== 'win32') return [base];
  const exts = (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';').filter(Boolean).map((e) => e.toLowerCase());
  return exts.map((e) => base + e);
}

/**
 * Expands `~`, `${userHome}`, `${workspaceFolder}` and `${env:NAME}` the way VS Code users
 * write them in settings; a relative result is taken relative to the first workspace folder.
 */
export function expandPath(raw: string, input: Pick<DiscoveryInput, 'workspaceFolders' | 'env' | 'platform'>): string {
  const p = pathApi(input.platform);
  const home = input.env.HOME ?? input.env.USERPROFILE ?? '';
  const folder = input.workspaceFolders[0] ?? '';
  let s = raw.trim()
    .replace(/\$\{userHome\}/g, home)
    .replace(/\$\{workspaceFolder\}/g, folder)
    .replace(/\$\{env:([^}]+)\}/g, (_, name: string) => input.env[name] ?? '');
  if (s === '~' || s.startsWith('~/') || s.startsWith('~\\')) s = home + s.slice(1);
  if (!p.isAbsolute(s) && folder && /[\\/]/.test(s)) s = p.join(folder, s);
  return s;
}

function hasSeparator(s: string): boolean {
  return /[\\/]/.test(s);
}

function onPath(input: DiscoveryInput, base: string): string[] {
  const p = pathApi(input.platform);
  const sep = input.platform === 'win32' ? ';' : ':';
  const dirs = (input.env.PATH ?? input.env.Path ?? '').split(sep).filter(Boolean);
  const names = executableNames(input.platform, input.env, base);
  return dirs.flatMap((d) => names.map((n) => p.join(d, n)));
}

export function discoverServer(input: DiscoveryInput, probe: FileProbe): Discovery {
  const p = pathApi(input.platform);
  const tried: Attempt[] = [];
  const names = executableNames(input.platform, input.env);
  const check = (path: string, source: string): Discovery | undefined => {
    if (tried.some((t) => t.path === path)) return undefined;
    tried.push({ path, source });
    return probe.isExecutableFile(path) ? { found: true, path, source, tried } : undefined;
  };

  const configured = input.configuredPath?.trim();
  if (configured) {
    const expanded = expandPath(configured, input);
    const paths = hasSeparator(expanded) ? [expanded] : onPath(input, expanded);
    for (const path of paths) {
      const hit = check(path, 'refract.server.path');
      if (hit) return hit;
    }
    return {
      found: false,
      tried,
      message:
        `Refract: the setting refract.server.path is "${configured}", but ` +
        (hasSeparator(expanded) ? `${expanded} is not an executable file.` : `no "${expanded}" was found on PATH.`) +
        ' Point it at the `refract` executable (e.g. .venv/bin/refract) or clear it to let Refract search.',
    };
  }

  const binDir = input.platform === 'win32' ? 'Scripts' : 'bin';
  for (const folder of input.workspaceFolders) {
    for (const venv of ['.venv', 'venv']) {
      for (const name of names) {
        const hit = check(p.join(folder, venv, binDir, name), `${venv} in the workspace`);
        if (hit) return hit;
      }
    }
  }

  const interpreter = input.pythonInterpreter?.trim();
  if (interpreter && hasSeparator(interpreter)) {
    const dir = p.dirname(expandPath(interpreter, input));
    for (const name of names) {
      const hit = check(p.join(dir, name), 'python.defaultInterpreterPath');
      if (hit) return hit;
    }
  }

  for (const path of onPath(input, 'refract')) {
    const hit = check(path, 'PATH');
    if (hit) return hit;
  }

  return { found: false, tried, message: notFoundMessage(tried) };
}

export function notFoundMessage(tried: Attempt[]): string {
  const venvs = tried.filter((t) => t.source !== 'PATH').map((t) => t.path);
  const shown = venvs.length ? ` Looked in ${venvs.join(', ')} and on PATH.` : ' Looked on PATH.';
  return (
    'Refract: could not find the `refract` language server.' +
    shown +
    ' Install it (`pip install torch==2.13.0 && pip install -e .` in the Refract repository, ideally in this workspace\'s .venv) ' +
    'or set refract.server.path to the `refract` executable.'
  );
}

/** A readable, one-path-per-line list of what was tried, for the output channel. */
export function describeAttempts(tried: Attempt[]): string {
  return tried.map((t) => `  ${t.path}  (${t.source})`).join('\n');
}
