import { describe, expect, it } from 'vitest';
import { describeAttempts, discoverServer, expandPath, type DiscoveryInput } from '../src/core/discovery';

function probe(executables: string[]) {
  const asked: string[] = [];
  return {
    asked,
    isExecutableFile(p: string) {
      asked.push(p);
      return executables.includes(p);
    },
  };
}

const base: DiscoveryInput = {
  workspaceFolders: ['/home/ana/novel'],
  env: { PATH: '/usr/local/bin:/usr/bin', HOME: '/home/ana' },
  platform: 'linux',
};

describe('server discovery', () => {
  it('prefers the workspace .venv', () => {
    const p = probe(['/home/ana/novel/.venv/bin/refract', '/usr/bin/refract']);
    const d = discoverServer(base, p);
    expect(d).toMatchObject({ found: true, path: '/home/ana/novel/.venv/bin/refract', source: '.venv in the workspace' });
  });

  it('then venv/, then next to python.defaultInterpreterPath, then PATH, in that order', () => {
    const p = probe([]);
    const d = discoverServer({ ...base, pythonInterpreter: '/opt/py/bin/python3' }, p);
    expect(d.found).toBe(false);
    expect(p.asked).toEqual([
      '/home/ana/novel/.venv/bin/refract',
      '/home/ana/novel/venv/bin/refract',
      '/opt/py/bin/refract',
      '/usr/local/bin/refract',
      '/usr/bin/refract',
    ]);
  });

  it('finds refract next to the configured interpreter', () => {
    const d = discoverServer({ ...base, pythonInterpreter: '${workspaceFolder}/env/bin/python' }, probe(['/home/ana/novel/env/bin/refract']));
    expect(d).toMatchObject({ found: true, path: '/home/ana/novel/env/bin/refract', source: 'python.defaultInterpreterPath' });
  });

  it('ignores a bare interpreter name like "python" and falls back to PATH', () => {
    const p = probe(['/usr/bin/refract']);
    const d = discoverServer({ ...base, pythonInterpreter: 'python' }, p);
    expect(d).toMatchObject({ found: true, path: '/usr/bin/refract', source: 'PATH' });
    expect(p.asked.some((a) => a.startsWith('python'))).toBe(false);
  });

  it('uses refract.server.path as given, expanding ~ and never falling back', () => {
    const ok = discoverServer({ ...base, configuredPath: '~/tools/refract' }, probe(['/home/ana/tools/refract']));
    expect(ok).toMatchObject({ found: true, path: '/home/ana/tools/refract', source: 'refract.server.path' });
    const p = probe(['/home/ana/novel/.venv/bin/refract']);
    const bad = discoverServer({ ...base, configuredPath: '/nowhere/refract' }, p);
    expect(bad.found).toBe(false);
    expect(p.asked).toEqual(['/nowhere/refract']);
    if (!bad.found) {
      expect(bad.message).toContain('refract.server.path');
      expect(bad.message).toContain('/nowhere/refract is not an executable file');
    }
  });

  it('looks a bare configured command up on PATH', () => {
    const d = discoverServer({ ...base, configuredPath: 'refract-dev' }, probe(['/usr/bin/refract-dev']));
    expect(d).toMatchObject({ found: true, path: '/usr/bin/refract-dev' });
  });

  it('says what it tried when nothing is found', () => {
    const d = discoverServer({ ...base, workspaceFolders: [] }, probe([]));
    expect(d.found).toBe(false);
    if (!d.found) {
      expect(d.message).toMatch(/could not find the `refract` language server/);
      expect(d.message).toMatch(/refract\.server\.path/);
      expect(d.message).toMatch(/pip install/);
      expect(d.tried.map((t) => t.path)).toEqual(['/usr/local/bin/refract', '/usr/bin/refract']);
      expect(describeAttempts(d.tried)).toContain('/usr/bin/refract  (PATH)');
    }
    const withVenv = discoverServer(base, probe([]));
    if (!withVenv.found) expect(withVenv.message).toContain('/home/ana/novel/.venv/bin/refract');
  });

  it('uses Scripts\\refract.exe and PATHEXT on Windows', () => {
    const win: DiscoveryInput = {
      workspaceFolders: ['C:\\novel'],
      env: { PATH: 'C:\\Python\\Scripts;C:\\Windows', PATHEXT: '.EXE;.CMD', USERPROFILE: 'C:\\Users\\ana' },
      platform: 'win32',
    };
    const p = probe(['C:\\Python\\Scripts\\refract.exe']);
    const d = discoverServer(win, p);
    expect(d).toMatchObject({ found: true, path: 'C:\\Python\\Scripts\\refract.exe' });
    expect(p.asked[0]).toBe('C:\\novel\\.venv\\Scripts\\refract.exe');
  });
});

describe('expandPath', () => {
  it('expands variables and resolves relative paths against the first folder', () => {
    const input = { ...base, env: { ...base.env, TOOLS: '/opt/tools' } };
    expect(expandPath('${userHome}/bin/refract', input)).toBe('/home/ana/bin/refract');
    expect(expandPath('${env:TOOLS}/refract', input)).toBe('/opt/tools/refract');
    expect(expandPath('.venv/bin/refract', input)).toBe('/home/ana/novel/.venv/bin/refract');
    expect(expandPath('refract', input)).toBe('refract');
  });
});
