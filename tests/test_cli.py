"""The CLI contract, through the real console script and the real embedded model."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

from refract.cli import main
from refract.config import RefractConfig
from refract.rewrite import ANCHORED

SENTENCE = "The committee postponed its decision until the spring meeting."


def run_cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "refract.cli", *args], input=stdin, capture_output=True, text=True, timeout=300
    )


def test_console_script_prints_a_rewrite_of_an_unseen_sentence():
    proc = run_cli("rewrite", "--op", "roundtrip", SENTENCE)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.strip().splitlines()
    assert len(lines) == 1 and len(lines[0].split()) >= 3


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["rewrite", "--op", "explode", "x"], "invalid choice"),
        (["rewrite", "--op", "roundtrip", "--amount", "lots", "x"], "invalid float value"),
        (["rewrite", "hello"], "needs --op"),
        (["rewrite", "--op", "roundtrip", "   "], "empty"),
        (["rewrite", "--op", "roundtrip", "--samples", "0", "x"], "samples"),
        (["frobnicate"], "invalid choice"),
        ([], "required"),
    ],
)
def test_usage_errors_are_one_clean_line(args, message, capsys):
    with pytest.raises(SystemExit) as exit_info:
        code = main(args)
        raise SystemExit(code)
    assert exit_info.value.code != 0
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and message in err and "Traceback" not in err


def test_json_output_has_text_candidates_and_seconds(capsys):
    assert main(["rewrite", "--op", "roundtrip", "--json", "--samples", "3", SENTENCE]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["text"] == out["candidates"][0]["text"]
    decoded = 3 + RefractConfig().beams  # sampled and beam-searched
    assert 1 <= len(out["candidates"]) <= decoded + ANCHORED and out["seconds"] > 0  # decoded, then corrected
    scores = [c["score"] for c in out["candidates"]]
    assert scores == sorted(scores, reverse=True)


def test_variations_flag_sets_how_many_variations(capsys):
    assert main(["rewrite", "--op", "variations", "--amount", "0.6", "--json", "--variations", "3", SENTENCE]) == 0
    texts = [c["text"] for c in json.loads(capsys.readouterr().out)["candidates"]]
    assert 2 <= len(texts) <= 3 and len(set(texts)) == len(texts)


def test_text_from_stdin(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO(SENTENCE + "\n"))
    assert main(["rewrite", "--op", "roundtrip", "-"]) == 0
    assert capsys.readouterr().out.strip()


def test_batch_mode_keeps_going_past_bad_lines(monkeypatch, capsys):
    lines = [
        {"id": "a", "op": "roundtrip", "text": SENTENCE},
        "this is not json",
        {"id": "c", "op": "shout", "text": SENTENCE},
        {"id": "d", "op": "roundtrip", "text": ""},
        {"id": "e", "op": "roundtrip", "text": SENTENCE, "colour": "red"},
        ["not", "an", "object"],
        {"id": "g", "op": "blend", "text": SENTENCE},
        {
            "id": "h",
            "op": "blend",
            "text": SENTENCE,
            "source": "Rain fell all night on the quiet harbour.",
            "amount": 0.5,
        },
    ]
    stdin = "\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n"
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    assert main(["rewrite", "--jsonl"]) == 0
    results = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(results) == len(lines)
    by_id = {r["id"]: r for r in results}
    assert by_id["a"]["text"] and by_id["a"]["candidates"] and by_id["a"]["seconds"] > 0
    assert "not JSON" in by_id[2]["error"]
    assert "unknown op" in by_id["c"]["error"]
    assert "empty" in by_id["d"]["error"]
    assert "colour" in by_id["e"]["error"]
    assert "JSON object" in by_id[6]["error"]
    assert "needs a source" in by_id["g"]["error"]
    assert by_id["h"]["text"]


def test_features_reads_out_every_axis_and_the_top_labelled_features(capsys):
    from refract.space import AXES

    assert main(["features", "--json", "--top", "3", "Did you enjoy the concert last night?"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert list(report["axes"]) == list(AXES) and all(isinstance(v, float) for v in report["axes"].values())
    assert 1 <= len(report["features"]) <= 3 and all(f["label"] and f["value"] > 0 for f in report["features"])
    assert any("concert" in f["label"] or "music" in f["label"] for f in report["features"]), report["features"]
    assert main(["features", "Did you enjoy the concert last night?"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("length") and lines[len(AXES)] == "features" and len(lines) > len(AXES) + 1
