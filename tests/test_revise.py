"""Source-anchored decoding and the word lexicon, on the real embedded codec."""

from __future__ import annotations

import numpy as np
import pytest

from refract.operations import unit
from refract.revise import edit_count, edit_scores, opened, reach, render, revise, tokens_of
from refract.slots import SENTENCE_ADVERBS
from refract.space import axis
from refract.space.lexicon import load_lexicon, quantized, unquantized

HOTEL = "The hotel staff were friendly and the room was spotless."


@pytest.fixture(scope="module")
def lexicon(codec):
    return load_lexicon(codec)


def test_tokens_render_back_to_the_sentence():
    for text in (HOTEL, "A low-power radio link, they said, costs $5 (or less).", "hey, don't stop; it's fine!"):
        assert render(tokens_of(text)) == text
    assert render(tokens_of("Sadly, the rain came.")[2:]) == "The rain came."
    assert render(tokens_of("Really ? I thought so !")[1:]) == "I thought so!"  # no "?" left at the front


def test_a_source_spaced_its_own_way_comes_back_as_written(codec, lexicon):
    text = "The report ( see page 4 ) is late , again ."
    assert render(tokens_of(text)) != text  # rendering tidies the spaces
    versions = revise(codec, lexicon, text, codec.encode([text])[0])
    assert versions[0] == text and render(tokens_of(text)) not in versions


def test_lexicon_tags_and_grammar(lexicon):
    assert lexicon.tags_of("great")[0] == "a" and lexicon.tags_of("loved")[0] == "v.ed"
    assert lexicon.tags_of("zzzq") == ()
    assert lexicon.grammar(tokens_of("I really enjoyed the show.")) > lexicon.grammar(
        tokens_of("I awful enjoyed the show.")
    )


def test_lexicon_knows_other_forms_and_function_words(lexicon):
    assert {"flow", "flowed", "flowing"} <= set(lexicon.forms_of("flows")) and lexicon.forms_of("zzzq") == []
    assert {"the", "into", "i"} <= set(lexicon.function_rows) and "ll" not in lexicon.function_rows
    assert lexicon.function_vectors.shape == (len(lexicon.function_rows), lexicon.vectors.shape[1])
    assert lexicon.written("i") == "I"


def test_toward_gives_each_part_of_speech_its_words_furthest_along_the_direction(lexicon):
    direction = lexicon.vectors[lexicon.index("river")] - lexicon.vectors[lexicon.index("money")]
    scores = lexicon.vectors @ direction
    found = lexicon.toward(direction, 5)
    assert found["n"][0] == "river" and "money" not in found["n"]
    for tag, words in found.items():
        rows = [i for i, tags in enumerate(lexicon.tags) if tags[0] == tag]
        assert words == [lexicon.words[i] for i in sorted(rows, key=lambda i: -scores[i])[:5]]


def test_stored_vectors_keep_their_direction():
    vectors = unit(np.random.default_rng(0).standard_normal((50, 384)).astype(np.float32))
    stored = quantized(vectors)
    assert stored["vectors"].dtype == np.int8
    assert np.min(np.sum(unquantized(stored) * vectors, axis=1)) > 0.9998


def test_a_null_move_keeps_the_source(codec, lexicon):
    z = codec.encode([HOTEL])[0]
    assert revise(codec, lexicon, HOTEL, z)[0] == HOTEL


def test_sentiment_moves_the_text_along_the_axis_and_keeps_names(codec, lexicon):
    text = "The guide in Venice was friendly and the tour was wonderful."
    sentiment = axis(codec, "sentiment")
    z = codec.encode([text])[0]
    versions = revise(codec, lexicon, text, unit(z - sentiment.direction)[0])
    assert versions[0] != text and "Venice" in versions[0]
    before, after = sentiment.readout(codec.encode([text, versions[0]]))
    assert after < before - 0.3, versions[0]


def test_delete_only_search_never_adds_words(codec, lexicon):
    text = "After a long and tiring week, the team finally shipped the new release to every customer."
    z = codec.encode([text])[0]
    target = unit(z - 0.35 * axis(codec, "length").direction)[0]
    versions = revise(codec, lexicon, text, target, frozenset({"delete"}))
    assert len(versions[0].split()) < len(text.split())
    assert all(len(v.split()) <= len(text.split()) for v in versions)


def test_reach_is_the_share_of_the_move_less_drift():
    z, target = np.array([1.0, 0.0, 0.0]), unit(np.array([1.0, 0.2, 0.0]))[0]
    on_target = reach(target[None], z, target)[0]
    halfway = reach(((z + target) / 2)[None], z, target)[0]
    off_axis = reach(unit(np.array([1.0, 0.0, 0.2])), z, target)[0]
    overshot = reach((z + 1.5 * (target - z))[None], z, target)[0]
    assert on_target == pytest.approx(1.0, abs=1e-6) and halfway == pytest.approx(0.5, abs=1e-6)
    assert overshot == pytest.approx(0.5, abs=1e-6) and off_axis < 0 < halfway


def test_edit_scores_add_up(codec, lexicon):
    texts = [HOTEL, "The hotel staff were rude and the room was filthy."]
    z = codec.encode([HOTEL])[0]
    target = unit(z - axis(codec, "sentiment").direction)[0]
    s = edit_scores(lexicon, codec.encode(texts), texts, z, target, HOTEL)
    assert s.kept[0] == 1.0 and s.grammar[0] == 0.0 and s.reach[1] > s.reach[0]
    from refract.revise import EDIT_COST, GRAMMAR_WEIGHT, KEEP_WEIGHT

    moves = np.array([False, True])  # the unedited source makes none of the move: its kept wording earns nothing
    assert list(s.edits) == [0, 2]  # two swapped words; only the second costs
    expected = s.reach + GRAMMAR_WEIGHT * s.grammar + KEEP_WEIGHT * s.kept * moves - EDIT_COST * np.array([0, 1])
    assert np.allclose(s.score, expected)
    assert s.score[1] > s.score[0]


def test_edit_count_counts_each_separate_change_once():
    source = "The rain had stopped by the time she reached the station."
    assert edit_count(source, source) == 0
    assert edit_count("the rain had stopped by the time she reached the station.", source) == 0  # case is not an edit
    assert edit_count("Sadly, the rain had stopped.", source) == 2  # an opener, a dropped phrase
    assert edit_count("The rain had stopped by the time she reached the grim station.", source) == 1
    assert edit_count("The rain had ended by the time she left the station.", source) == 2


def test_sentiment_swaps_only_words_that_carry_it(codec, lexicon):
    sentiment = axis(codec, "sentiment").direction
    neutral = "The Danube flows through ten countries."
    z = codec.encode([neutral])[0]
    for version in revise(codec, lexicon, neutral, unit(z + sentiment)[0], frozenset({"swap"})):
        assert "Danube flows through" in version, version  # no word of it points against the move
    moody = "I was disappointed by the hotel."
    z = codec.encode([moody])[0]
    versions = revise(codec, lexicon, moody, unit(z + sentiment)[0], frozenset({"swap"}))
    assert "disappointed" not in versions[0], versions[0]


def test_a_comment_adverb_may_open_a_statement(codec, lexicon):
    text = "The last train had already left."
    z = codec.encode([text])[0]
    versions = revise(codec, lexicon, text, unit(z - axis(codec, "sentiment").direction)[0], frozenset({"insert"}))
    opened = [v.split(", ")[0].lower() for v in versions if v.endswith(", the last train had already left.")]
    assert opened and set(opened) <= SENTENCE_ADVERBS, versions
    for version in versions:  # one adverb per slot: not "the falsely poorly last train"
        adverbs = [lexicon.tags_of(w)[:1] == ("r",) for w in tokens_of(version)]
        assert not any(a and b for a, b in zip(adverbs, adverbs[1:], strict=False)), version
    question = "Could you send me the budget?"
    z = codec.encode([question])[0]
    asked = revise(codec, lexicon, question, unit(z - axis(codec, "sentiment").direction)[0], frozenset({"insert"}))
    assert not any("," in v for v in asked)  # "Sadly, could you ..." is not offered
    order = lexicon.ranked(SENTENCE_ADVERBS, axis(codec, "sentiment").direction)
    assert order.index("happily") < order.index("sadly")


def test_names_keep_their_capitals_where_words_would_not(lexicon):
    assert lexicon.written("danube") == "Danube" and lexicon.written("river") == "river"
    assert lexicon.names and all(w != w.lower() for w in lexicon.names.values())  # "Danube", "kHz"
    assert render(opened("sadly", tokens_of("Danube floods are rare."), lexicon)) == "Sadly, Danube floods are rare."
    assert render(opened("sadly", tokens_of("Basalt forms fast."), lexicon)) == "Sadly, basalt forms fast."
