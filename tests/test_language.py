"""The English check that runs before a model loads: other scripts and other languages are named."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from refract.language import language, script

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

from devset import load_dev  # noqa: E402  (the benchmarks' dev set reader, not part of the package)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Der Hund läuft schnell durch den Park und bellt laut.", "German"),
        ("Le chat dort sur le canapé depuis ce matin.", "French"),
        ("El perro corre por el parque y ladra mucho.", "Spanish"),
        ("Il gatto dorme sul divano della cucina.", "Italian"),
        ("O cão corre no parque e não para.", "Portuguese"),
        ("De hond rent door het park en blaft niet.", "Dutch"),
    ],
)
def test_other_languages_in_the_latin_script_are_named(text, name):
    assert script(text) is None and language(text) == name


@pytest.mark.parametrize(
    ("text", "name"), [("Это предложение на русском языке.", "Cyrillic"), ("这是一个测试句子。", "CJK")]
)
def test_other_scripts_are_named(text, name):
    assert script(text) == name


@pytest.mark.parametrize(
    "text",
    [
        "As the French say, c'est la vie, and the show goes on.",  # a foreign phrase in English
        "The café served a crème brûlée with la vie en rose playing.",
        "Der Spiegel reported that the deal is off.",
        "Die Katze.",  # too short to tell
        "🙂 !!!",
    ],
)
def test_english_with_foreign_words_and_short_texts_pass(text):
    assert script(text) is None and language(text) is None


def test_every_dev_sentence_reads_as_english():
    sentences = [text for _, text in load_dev()]
    assert len(sentences) >= 60
    assert [s for s in sentences if script(s) or language(s)] == []
