"""The VS Code extension (editor-clients/vscode): its own unit tests, its tests against the real
server, and packaging to a .vsix, all through npm so CI runs them with the Python suite."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

EXTENSION = Path(__file__).resolve().parents[1] / "editor-clients" / "vscode"


def _npm(*args: str, timeout: int = 600) -> str:
    npm = shutil.which("npm")
    if npm is None:
        pytest.fail("npm is missing: install Node.js 20+ to test the VS Code extension", pytrace=False)
    # The `refract` next to this interpreter first, so the server tests talk to the server under test.
    env = {**os.environ, "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])}
    proc = subprocess.run([npm, *args], cwd=EXTENSION, env=env, capture_output=True, text=True, timeout=timeout)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, f"npm {' '.join(args)} failed (exit {proc.returncode}):\n{output}"
    return output


@pytest.fixture(scope="module")
def installed() -> None:
    lock = EXTENSION / "package-lock.json"
    stamp = EXTENSION / "node_modules" / ".package-lock.json"
    if not stamp.is_file() or stamp.stat().st_mtime < lock.stat().st_mtime:
        _npm("ci", "--no-audit", "--no-fund")


def test_extension_unit_tests(installed: None) -> None:
    out = _npm("test")
    assert "passed" in out and "failed" not in out, out


def test_extension_against_the_real_server(installed: None) -> None:
    out = _npm("run", "test:server")
    assert "passed" in out and "failed" not in out and "skipped" not in out, out


def test_extension_packages_to_a_vsix(installed: None) -> None:
    out = _npm("run", "package")
    assert "Packaged" in out and (EXTENSION / "refract-0.1.0.vsix").is_file(), out
