"""Where a word may be inserted into a sentence, and which words may go there.

An edit that has no word of the sentence to drop or swap (a neutral sentence made warmer, say)
adds one, in a slot a writer would use: a comment adverb and a comma before a statement ("Sadly,
the last train had gone."), a degree adverb before an adjective after a linking verb ("was
(really) quiet"), a manner adverb before a verb after its subject ("I (strongly) believe", "could
you (kindly) send"), or an adjective between a determiner and its noun ("the (faulty) device").
Each slot draws on a short list of words that sit well there beside almost any neighbour; which
of them goes, the vector edit and the encoder decide (refract.revise). Like constituents.py
there is no parser, only word lists and the lexicon's tags, leaning to fewer slots.
"""

from __future__ import annotations

from refract.constituents import COPULAS, DETERMINERS, PARTICLES, PARTITIVES, QUANTIFIERS
from refract.space.lexicon import Lexicon

# Comment adverbs that open a sentence before a comma: the one slot where a sentence with no word
# of the attribute can take one without changing its facts.
SENTENCE_ADVERBS = frozenset(
    """fortunately unfortunately luckily unluckily sadly happily thankfully regrettably surprisingly
    unsurprisingly frankly honestly clearly obviously hopefully ideally naturally curiously interestingly
    remarkably strangely oddly ironically predictably admittedly apparently evidently tragically mercifully
    amazingly incredibly undoubtedly certainly perhaps typically usually generally notably importantly""".split()
)
# Adverbs of degree that go before a gradable adjective: "was (wonderfully) quiet".
DEGREE_ADVERBS = frozenset(
    """very really fairly pretty extremely incredibly remarkably wonderfully beautifully delightfully
    pleasantly refreshingly impressively genuinely truly deeply perfectly terribly awfully horribly dreadfully
    painfully disappointingly annoyingly frustratingly woefully hopelessly ridiculously absurdly alarmingly
    worryingly surprisingly unusually exceptionally highly slightly somewhat utterly totally thoroughly""".split()
)
# Adverbs of manner and attitude that sit before almost any verb: "I (gladly) returned".
MANNER_ADVERBS = frozenset(
    """happily gladly gratefully kindly warmly eagerly proudly easily smoothly reliably successfully carefully
    wisely generously patiently strongly firmly clearly gently politely quietly quickly finally sincerely honestly
    readily gracefully sadly reluctantly grudgingly angrily bitterly foolishly carelessly badly barely hardly
    painfully nervously desperately rudely wrongly poorly clumsily lazily slowly hastily needlessly stubbornly
    wearily""".split()
)
# Adjectives that sit before almost any noun: judgements ("the (faulty) device", "a (wonderful)
# valley") and plain descriptions (size, age, kind) for edits other than sentiment.
ATTRIBUTIVE_ADJECTIVES = frozenset(
    """wonderful lovely excellent beautiful delightful splendid superb marvelous fantastic terrific great fine
    good nice pleasant charming handy reliable welcome perfect brilliant impressive elegant cozy friendly helpful
    trusty beloved favorite treasured precious glorious remarkable stunning fabulous generous sturdy faithful honest
    terrible awful dreadful horrible miserable wretched useless faulty poor bad nasty unpleasant annoying tiresome
    dreary dismal grim bleak ugly clumsy flawed broken dreaded lousy shoddy pathetic disappointing frustrating
    irritating tedious boring dull mediocre worthless pointless hopeless unreliable rude wasteful awkward cheap noisy
    big small little large huge tiny old new young long short simple modern ancient local ordinary familiar usual
    typical rare strange quiet busy proper formal casual official standard basic complete entire whole real actual
    particular careful detailed brief quick slow""".split()
)
SLOT_WORDS = {
    "opener": SENTENCE_ADVERBS,
    "degree": DEGREE_ADVERBS,
    "manner": MANNER_ADVERBS,
    "adjective": ATTRIBUTIVE_ADJECTIVES,
}
LINKING_VERBS = COPULAS | frozenset(
    """seem seems seemed look looks looked feel feels felt sound sounds sounded become becomes became remain
    remains remained stay stays stayed""".split()
)
PERSONS = frozenset("i you we they he she".split())  # "I (gladly) returned"; not "it (gratefully) rewards"
# Verbs of state take no adverb of manner: not "I (angrily) think", "I (gratefully) find".
STATIVE = frozenset(
    """think thinks thought believe believes believed know knows knew find finds found feel feels felt hate hates
    hated love loves loved like likes liked want wants wanted need needs needed owe owes owed
    mean means meant""".split()
)
# Sentences a comment adverb does not open: formulas ("Thanks so much", "Please find attached").
FORMULAS = frozenset("thanks thank congratulations apologies sorry please hi hello dear just".split())


def insertions(tokens: list[str], lower: list[str], lexicon: Lexicon) -> list[tuple[int, str]]:
    """(i, slot) for every place a word of SLOT_WORDS[slot] may go before tokens[i]; 0 with
    "opener" means the comment adverb and its comma open the sentence."""
    out = [(0, "opener")] if opens_freely(tokens, lower, lexicon) else []
    for i in range(1, len(tokens)):
        if tokens[i][0].isupper() or not tokens[i][0].isalpha():
            continue  # a name is not split from its article, nor is a word put before punctuation
        prev, tag = lower[i - 1], lexicon.tag_at(lower, i)
        if "r" in (lexicon.tags_of(prev)[:1] + lexicon.tags_of(lower[i])[:1]):
            continue  # one adverb per slot: not "the falsely poorly last train"
        if prev in LINKING_VERBS and tag == "a" and lower[i] not in PARTICLES:
            out.append((i, "degree"))  # not "been (disappointingly) out sick"
        elif prev in PERSONS and tag in ("v", "v.s", "v.ed") and lower[i] not in STATIVE:
            out.append((i, "manner"))  # an active verb after its subject: "could you (kindly) send"
        elif prev in DETERMINERS and tag in ("n", "n.pl") and not _picks_out(lower[i], lexicon):
            out.append((i, "adjective"))
    return out


def _picks_out(word: str, lexicon: Lexicon) -> bool:
    """Whether `word` may be an adjective or count ("every (single) time", "a (couple) of"): no adjective before it."""
    return word in QUANTIFIERS or word in PARTITIVES or "a" in lexicon.tags_of(word)


def opens_freely(tokens: list[str], lower: list[str], lexicon: Lexicon) -> bool:
    """Whether a comment adverb may open the sentence: a statement that does not already open with
    one, and neither an instruction ("Use a torque wrench ...") nor a formula ("Thanks so much ...")."""
    return (
        len(tokens) > 2
        and tokens[0][0].isalpha()
        and tokens[1] != ","
        and lower[0] not in SENTENCE_ADVERBS | FORMULAS
        and lexicon.tag_at(lower, 0) != "v"
        and tokens[-1] != "?"
    )
