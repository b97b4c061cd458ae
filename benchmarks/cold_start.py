"""Cold start of the CLI: wall time from launching `refract rewrite` to its first output.

Each run is a fresh process (imports, model load, one rewrite), as a writer's first call is.

    python benchmarks/cold_start.py [--runs 5]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import time

SENTENCE = "The new library will open its doors to readers next spring."


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--runs", type=int, default=5)
    args = p.parse_args()
    exe = shutil.which("refract")
    if exe is None:
        raise SystemExit("refract is not on PATH; pip install -e . first")
    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        out = subprocess.run(
            [exe, "rewrite", "--op", "roundtrip", SENTENCE], capture_output=True, text=True, check=True
        )
        times.append(time.perf_counter() - start)
        print(f"{times[-1]:.2f}s  {out.stdout.strip()}")
    median = statistics.median(times)
    print(f"cold start to first output: median {median:.2f}s, min {min(times):.2f}s over {args.runs} runs")


if __name__ == "__main__":
    main()
