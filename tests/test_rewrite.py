"""The rewrite pipeline on the real embedded codec."""

from __future__ import annotations

import pytest

from refract.config import RefractConfig
from refract.errors import OperationError
from refract.revise import tokens_of
from refract.rewrite import ANCHORED, RewriteRequest, rewrite

PARAGRAPH = "  The ferry left at dawn. Gulls followed it out of the harbour!\n\nNobody on board spoke.\n"


def test_paragraph_is_rewritten_sentence_by_sentence_keeping_layout(codec, config):
    result = rewrite(codec, RewriteRequest(op="roundtrip", text=PARAGRAPH), config)
    assert result.text.startswith("  ") and result.text.endswith("\n") and not result.text.endswith("\n\n")
    assert result.text.count("\n\n") == 1
    assert 1 <= len(result.candidates) <= config.samples + config.beams + ANCHORED
    assert result.text == result.candidates[0].text


def test_corrections_bring_a_roundtrip_closer_to_the_vector(codec):
    request = RewriteRequest(op="roundtrip", text="The ferry left the harbour at dawn with forty passengers.")
    decoded = RefractConfig().samples + RefractConfig().beams  # sampled and beam-searched candidates
    # No time limit: on a busy machine the limit may end the corrections before their second round.
    plain = rewrite(codec, request, RefractConfig(corrections=0, sentence_seconds=0))
    corrected = rewrite(codec, request, RefractConfig(corrections=2, sentence_seconds=0))
    assert len(plain.candidates) <= decoded < len(corrected.candidates)
    assert corrected.candidates[0].similarity > plain.candidates[0].similarity + 0.05


def test_shorten_offers_only_cuts_of_the_source(codec, config):
    text = "After a long and tiring week, the team finally shipped the new release to every customer."
    result = rewrite(codec, RewriteRequest(op="shorten", text=text), config)
    words = {w.lower() for w in tokens_of(text)}
    assert len(result.text.split()) < len(text.split())
    assert all({w.lower() for w in tokens_of(c.text)} <= words for c in result.candidates)  # no decoder paraphrase


def test_variations_give_distinct_candidates(codec):
    config = RefractConfig(variations=4)
    result = rewrite(codec, RewriteRequest(op="variations", text="The ferry left at dawn.", amount=0.6), config)
    texts = [c.text for c in result.candidates]
    assert len(texts) == len(set(texts)) >= 2


def test_same_request_same_result(codec):
    # With no time limit: a limit may end the correction a round earlier when the machine is busy.
    config = RefractConfig(sentence_seconds=0)
    request = RewriteRequest(op="roundtrip", text="Rain is expected over the hills tonight.")
    assert rewrite(codec, request, config).candidates == rewrite(codec, request, config).candidates


def test_the_time_a_sentence_may_take_counts_its_decoding_and_keeps_the_first_round(codec):
    # A budget the encoding and decoding alone overrun leaves the one round that always runs.
    request = RewriteRequest(op="roundtrip", text="Rain is expected over the hills tonight.")
    overrun = rewrite(codec, request, RefractConfig(sentence_seconds=1e-3))
    one_round = rewrite(codec, request, RefractConfig(corrections=1, sentence_seconds=0))
    assert overrun.candidates == one_round.candidates


def test_blend_moves_toward_the_source(codec, config):
    text, source = "The ferry left at dawn.", "Our quarterly revenue grew by eight percent."
    z_text, z_source = codec.encode([text, source])
    blended = rewrite(codec, RewriteRequest(op="blend", text=text, source=source, amount=0.8), config).text
    z_out = codec.encode([blended])[0]
    assert z_out @ z_source > z_text @ z_source


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("word " * 201, "201 words"),
        ("Это предложение на русском языке.", "Cyrillic script; the embedded model reads English only"),
        ("Der Hund läuft schnell durch den Park und bellt laut.", "looks like German; the embedded model"),
        ("- \n", "no words"),
        ("🙂🙂🙂", "no words to rewrite, only markup, numbers or symbols"),
        ("1234 5678 !!!", "no words"),
    ],
)
def test_bad_selections_are_refused_clearly(codec, config, text, message):
    with pytest.raises(OperationError, match=message):
        rewrite(codec, RewriteRequest(op="roundtrip", text=text), config)


def test_sentiment_slider_moves_the_output_along_the_sentiment_axis(codec, config):
    from refract.space import axis

    text = "The hotel staff were friendly and the room was spotless."
    outputs = [rewrite(codec, RewriteRequest(op="sentiment", text=text, amount=a), config).text for a in (-2.0, 2.0)]
    low, high = axis(codec, "sentiment").readout(codec.encode(outputs))
    assert high > low, outputs


def test_kept_wording_measures_shared_character_trigrams():
    from refract.revise import kept_wording

    assert kept_wording("The cat sat.", "the  cat sat.") == 1.0
    assert kept_wording("xyz", "abc") == 0.0
    assert 0 < kept_wording("The cat sat on the mat.", "The dog sat on the rug.") < 1


def test_edits_keep_wording_and_rank_by_edit_score(codec, config):
    text = "The hotel staff were friendly and the room was spotless."
    edited = rewrite(codec, RewriteRequest(op="sentiment", text=text, amount=-1.0), config)
    assert edited.text != text and edited.candidates[0].kept > 0.5  # a word edit of the source, not a paraphrase
    plain = rewrite(codec, RewriteRequest(op="roundtrip", text=text), config)
    for c in plain.candidates:
        assert c.score == pytest.approx(c.similarity, abs=2e-4)
    for result in (edited, plain):
        assert all(0 <= c.kept <= 1 for c in result.candidates)
        assert [c.score for c in result.candidates] == sorted((c.score for c in result.candidates), reverse=True)
