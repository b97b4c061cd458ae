"""Insertion slots and swaps: each rule of refract.slots (and the lexicon's WordNet relatives) on a
sentence it was written for."""

from __future__ import annotations

import pytest

from refract.revise import opened, tokens_of
from refract.slots import insertions
from refract.space.lexicon import load_lexicon


@pytest.fixture(scope="module")
def lexicon(codec):
    return load_lexicon(codec)


@pytest.fixture(scope="module")
def slots(lexicon):
    def at(text: str) -> dict[str, str]:
        """Slot name -> the word each slot stands before, e.g. {"send": "manner"}."""
        tokens = tokens_of(text)
        return {
            ("" if i == 0 else tokens[i].lower()): slot
            for i, slot in insertions(tokens, [t.lower() for t in tokens], lexicon)
        }

    return at


def test_an_adverb_goes_after_the_subject_not_between_auxiliary_and_subject(slots):
    question = slots("Could you send me the budget?")
    assert question.get("send") == "manner"  # "Could you (kindly) send"
    assert "you" not in question  # not "Could (distinctly) you send"
    assert "" not in question  # no comment adverb opens a question
    assert slots("I returned the blender.").get("returned") == "manner"  # "I (angrily) returned"
    assert "rewards" not in slots("It rewards local farmers.")  # not "it (gratefully) rewards"
    assert "think" not in slots("I think the plan works.")  # a verb of state: not "I (angrily) think"
    assert "held" not in slots("The games were held in Athens.")  # not "were (sincerely) held"


def test_a_degree_adverb_goes_before_a_predicative_adjective_only(slots):
    assert slots("The room was quiet.").get("quiet") == "degree"  # "was (wonderfully) quiet"
    rainfall = slots("Monsoon rains bring most of the annual rainfall.")
    assert "annual" not in rainfall  # not "the (sincerely) annual rainfall"
    assert "out" not in slots("I have been out sick all week.")  # not "been (disappointingly) out"


def test_an_adjective_goes_between_a_determiner_and_its_noun_unless_it_counts(slots):
    assert slots("Clean the device first.").get("device") == "adjective"  # "the (faulty) device"
    assert "single" not in slots("The lid leaked every single time.")  # not "every (remarkable) single time"
    assert "couple" not in slots("They remember you after a couple of visits.")  # a partitive
    assert "modern" not in slots("The first modern games were held in Athens.")  # an adjective already


def test_a_comment_adverb_opens_statements_only(slots, lexicon):
    assert slots("Basalt forms when lava cools.").get("") == "opener"
    assert "" not in slots("Use a torque wrench to tighten the nuts.")  # an instruction
    assert "" not in slots("Thanks so much for covering my shift.")  # a formula
    basalt = "".join(opened("Happily", tokens_of("Basalt forms when lava cools."), lexicon))
    assert basalt.startswith("Happily,basalt")  # a common word loses its capital
    assert "Priya" in "".join(opened("Sadly", tokens_of("Priya won the prize."), lexicon))  # a name keeps it


def test_words_swap_only_with_their_wordnet_relatives(lexicon):
    assert {"hated", "despised"} <= set(lexicon.relatives_of("loved", "v.ed"))
    assert "bad" in lexicon.relatives_of("good", "a")  # the antonym's cluster
    assert "vanished" in lexicon.relatives_of("disappeared", "v.ed")
    assert "elegance" not in lexicon.relatives_of("cheese", "n")
    assert all("v.ed" in lexicon.tags_of(w) for w in lexicon.relatives_of("loved", "v.ed"))  # same inflection


def test_irregular_verb_forms_keep_their_inflection(lexicon):
    # WordNet's verb.exc lists -ing forms with a doubled consonant beside past forms: "getting" is
    # not a past form, so "made (any sense)" never becomes "getting (any sense)".
    assert lexicon.tags_of("getting") == ("v.ing",) and lexicon.tags_of("running") == ("v.ing",)
    assert not any(w.endswith("ing") for w in lexicon.relatives_of("made", "v.ed"))
