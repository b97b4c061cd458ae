"""Which spans of a sentence are whole constituents, so that deleting one leaves a sentence.

Shorten (and any edit that may drop words) cuts only these: an adverb, an adjective, a
prepositional phrase, a clause. There is no parser here, only the lexicon's part-of-speech tags and
word lists, so the rules lean to cutting less: a phrase that may complete the word before it, or a
word that may count or pick out, stays. The rules were checked by reading every cut they allow
in the dev set (`python benchmarks/deletions.py`) and pinned by tests/test_constituents.py.
"""

from __future__ import annotations

from refract.space.lexicon import Lexicon

DETERMINERS = frozenset("the a an this that these those my your his her its our their some any no every each".split())
AUXILIARIES = frozenset("is are was were be been am do does did will would can could should may might must".split())
COPULAS = frozenset("is are was were be been am being".split())
PREPOSITIONS = frozenset(
    """in on at with for from through during by of about after before since across into over under without along
    beyond within among between toward towards against despite behind below above beneath beside upon via
    near around throughout underneath alongside""".split()
)
COORDINATORS = frozenset("and but or".split())
CLAUSE_STARTS = frozenset("because until while although though when whenever unless whereas so".split()) | COORDINATORS
# A sentence opening with one of these has a subordinate phrase before its first comma, not a clause.
OPENERS = frozenset("if when because although though while until unless once to".split()) | PREPOSITIONS
# Words that open a subordinate or relative clause: "when lava rich in iron (and magnesium cools)".
SUBORDINATORS = (CLAUSE_STARTS - COORDINATORS) | frozenset("who which that".split())
SUBJECTS = frozenset("i you he she it we they".split())  # a new clause: "after the year | you have had"
# Adverbs that complete a verb ("pulled away", "shut out"): deleting one changes the verb.
PARTICLES = frozenset("away up down out off back over on in around along through forward apart aside".split())
# Words that count or pick out, tagged as adjectives or adverbs but needed by their noun: "every (two)
# seconds", "a (few) meals", "the (next) summer", "thanks so (much)".
QUANTIFIERS = frozenset(
    """next last first second third same other only few many several such own much more most less least enough none
    one two three four five six seven eight nine ten eleven twelve fifteen twenty thirty forty fifty hundred
    thousand million billion dozen half single""".split()
)
DEGREE = frozenset("most more less least very so too quite rather".split())  # "the (most comfortable) pair"
# Nouns that an "of" phrase completes: "most (of the week)", "a couple (of visits)", "the end (of this week)".
PARTITIVES = frozenset(
    """all most some any none each many few several much lot lots couple number kind sort type piece bit part parts
    end rest half middle top bottom side front back one location amount range series group pair enough""".split()
)
# Verbs that take their object through a preposition ("account for", "turns walking into"): the
# phrase is the verb's object, not a modifier. Matched as a word's start, so "accounts", "relied" count.
PREPOSITIONAL_VERBS = {
    "account": "for", "depend": "on", "rel": "on", "consist": "of", "deal": "with", "listen": "to",
    "belong": "to", "insist": "on", "result": "in", "lead": "to", "refer": "to", "apply": "to", "cope": "with",
    "focus": "on", "turn": "into", "wait": "for", "ask": "for", "pay": "for", "look": "at", "hope": "for",
    "comply": "with", "suffer": "from", "benefit": "from", "succeed": "in", "believe": "in", "approve": "of",
}  # fmt: skip
# Words a deletion must not leave hanging before a full stop: "reduced it to.", "along the."
DANGLING = PREPOSITIONS | DETERMINERS | COORDINATORS | frozenset("to as than".split())


def deletions(tokens: list[str], lower: list[str], lexicon: Lexicon) -> list[tuple[int, int]]:
    """Spans [start, end) whose deletion leaves a sentence: whole constituents only.

    An adverb (not a verb's particle); an adjective before a noun or adjective, with the degree
    adverb before it; a prepositional phrase, alone or with the phrases after it, up to the next
    verb, clause or noun phrase; a clause after a subordinator, or after "and"/"but"/"or" or a comma
    when both sides are clauses. Never a word that counts ("every two seconds"), a phrase that
    completes the word before it ("is in stalemate", "most of the week", "makes up for it"), or a cut
    that leaves a preposition, article or conjunction hanging.
    """
    n = len(tokens)

    def tag(j: int) -> str:
        return next(iter(lexicon.tags_of(lower[j])), "") if 0 <= j < n else ""

    def verb(j: int) -> bool:
        """Could be a verb: an auxiliary, a word tagged as one here, or a word the lexicon lacks
        ("cools") unless an article or adjective stands before it ("a shoebox"), since cutting a
        phrase short is safer than cutting a clause's verb."""
        if lower[j] in AUXILIARIES or lower[j] in ("have", "has", "had"):
            return True
        if not lexicon.tags_of(lower[j]):
            after_a_noun_start = j > 0 and (lower[j - 1] in DETERMINERS | PREPOSITIONS or tag(j - 1) == "a")
            unknown = lower[j].isalpha() and lower[j] not in lexicon.function_words and not tokens[j][0].isupper()
            return unknown and not after_a_noun_start
        return lexicon.tag_at(lower, j).startswith("v")

    def known_verb(j: int) -> bool:
        """A word the lexicon knows as a verb and not as an adjective: "(and) settles", not "(and) stale"."""
        tags = lexicon.tags_of(lower[j])
        return lower[j] in AUXILIARIES or (any(t.startswith("v") for t in tags) and "a" not in tags)

    def gerund(j: int) -> bool:
        return j < n and lower[j].endswith("ing") and (verb(j) or not lexicon.tags_of(lower[j]))

    def until_punctuation(i: int) -> int:
        return next((j for j in range(i, n) if not tokens[j][0].isalnum()), n)

    def nounish(j: int) -> bool:
        """A noun, or a word the lexicon lacks and that is no function word ("conductor", "pastries")."""
        tags = lexicon.tags_of(lower[j])
        return any(t.startswith("n") for t in tags) or (not tags and lower[j] not in lexicon.function_words)

    def phrase_ends(j: int) -> bool:
        """A prepositional phrase ends before a verb, a clause, or a new noun phrase ("By noon | the fog")."""
        subject = lower[j] in SUBJECTS and lower[j - 1] not in DANGLING  # "of (it)" is an object
        if verb(j) or subject or (lower[j] in CLAUSE_STARTS and lower[j] not in COORDINATORS):
            return True
        if lower[j] in COORDINATORS:  # "and later expanded" ends it; "retail and logistics" does not
            inflected = j + 1 < n and not lexicon.tags_of(lower[j + 1]) and lower[j + 1].endswith(("es", "ed"))
            later = j + 2 < n and lexicon.tag_at(lower, j + 2).startswith("v")  # "and later expanded"
            return inflected or (j + 1 < n and known_verb(j + 1)) or later
        return lower[j] in ("as", "than", "rather") or (lower[j] in DETERMINERS and lower[j - 1] not in DANGLING)

    def ends_a_noun_phrase(j: int) -> bool:
        """A prepositional phrase ends in a noun, a name, a number or a pronoun, not in "online", "a",
        a possessive ("baker's | yeast") or an adjective before its noun ("the annual | rainfall")."""
        adjective = "a" in lexicon.tags_of(lower[j]) and j + 1 < n and tag(j + 1).startswith("n")
        if tokens[j].endswith(("'s", "’s")) or adjective:
            return False
        pronoun = lower[j] in ("me", "him", "her", "us", "them", "it")
        return tokens[j][0].isdigit() or tokens[j][0].isupper() or pronoun or nounish(j)

    def last_break(i: int, openers: frozenset[str]) -> int:
        """The nearest punctuation mark or opener before i, or -1: where i's clause begins."""
        return next((j for j in range(i - 1, -1, -1) if not tokens[j][0].isalnum() or lower[j] in openers), -1)

    def clause_before(i: int) -> bool:
        """Whether a verb comes before i in its clause: any word that may be one ("The headphones sound")."""
        start = last_break(i, CLAUSE_STARTS) + 1
        return any(verb(j) or any(t.startswith("v") for t in lexicon.tags_of(lower[j])) for j in range(start, i))

    def coordinated_clause_may_go(i: int) -> bool:
        """Whether the clause after the coordinator at i may go when it lies in a subordinate or
        relative clause: not in "a player who ... (and is not in check) is in stalemate", where the
        main verb follows, nor when the words before it hold no verb of their own ("when lava rich
        in iron (and magnesium cools)")."""
        at = last_break(i, CLAUSE_STARTS | SUBORDINATORS)
        if at < 0 or lower[at] not in SUBORDINATORS:
            return True
        return lower[at] not in ("who", "that") and any(
            lower[j] in AUXILIARIES or lexicon.tag_at(lower, j).startswith("v") for j in range(at + 1, i)
        )

    def before_main_verb(i: int) -> bool:
        """In a question that opens with an auxiliary, whether i comes before the main verb: "Would
        Tuesday (at ten) work ...?" keeps its phrase."""
        return lower[0] in AUXILIARIES and not any(verb(j) for j in range(1, i))

    def completes(i: int) -> bool:
        """Whether the phrase at i completes the word before it: "is (not) (in check)", "makes up (for
        it)", "account (for most of it)", "most (of the week)", "out (of hand)"; an "of" phrase may
        only leave a noun."""
        before = lower[i - 1] if i > 0 else ""
        if before in COPULAS or (before == "not" and i > 1 and lower[i - 2] in COPULAS):
            return True
        if before in PARTICLES and i > 1 and verb(i - 2):
            return True
        if any(before.startswith(stem) and lower[i] == p for stem, p in PREPOSITIONAL_VERBS.items()):
            return True
        return lower[i] == "of" and (before in PARTITIVES or i == 0 or not nounish(i - 1))

    def participle(j: int) -> bool:
        """A participle that goes on with a preposition belongs to the noun before it: "a movement
        (known as ...)", "the instrument (held between the knees)"; "Staff ... upgraded us" is a clause's verb."""
        return lexicon.tag_at(lower, j) in ("v.ed", "v.ing") and j + 1 < n and lower[j + 1] in PREPOSITIONS | {"as"}

    def prepositional(i: int, end: int) -> list[tuple[int, int]]:
        if completes(i) or before_main_verb(i):
            return []
        if gerund(i + 1):  # "before (deploying the new build)"
            return [(i, next((j for j in range(i + 2, end) if lower[j] in CLAUSE_STARTS), end))]
        stop = next((j for j in range(i + 2, end) if phrase_ends(j)), end)
        # A clause or a participle of the phrase's own runs on with it: "after the year (you have
        # had)", "before it (made any sense)", "a movement (known as the waggle dance)".
        clause = lower[stop - 1] in SUBJECTS and verb(stop) and not gerund(stop)
        if stop < end and (lower[stop] in SUBJECTS or clause or participle(stop)):
            stop = end
        while stop > i + 1 and lower[stop - 1] in PREPOSITIONS:
            stop -= 1  # "(of ten countries) before emptying": the last preposition heads what follows
        short = next((j for j in range(i + 1, stop) if lower[j] in PREPOSITIONS and lower[j] != "of"), stop)
        return [(i, e) for e in (stop, short) if e - i >= 2 and ends_a_noun_phrase(e - 1)]

    def modifier(i: int) -> list[tuple[int, int]]:
        """An adverb, or an adjective before a noun or adjective with its degree adverb: "the (slightly dim) screen"."""
        low, nxt = lower[i], lower[i + 1] if i + 1 < n else ""
        if low in QUANTIFIERS or nxt in QUANTIFIERS:
            return []
        if tag(i) == "r" and not (low in PARTICLES and i > 0 and verb(i - 1)):
            return [] if low in PREPOSITIONS and nxt.isalnum() else [(i, i + 1)]  # "offered little (beyond) toast"
        if tag(i) == "a" and tag(i + 1) in ("n", "n.pl", "a"):
            degree = i > 0 and (tag(i - 1) == "r" or lower[i - 1] in DEGREE)
            return [(i - 1, i + 1)] if degree else [(i, i + 1)]
        return []

    def subordinate_opening(i: int) -> bool:
        """The part before this first comma is an opening phrase, not a clause: "If the build fails,",
        "Before soldering,"; "By noon the fog had lifted," is a clause."""
        if "," in tokens[:i] or lower[0] not in OPENERS:
            return False
        return lower[0] not in PREPOSITIONS or not any(verb(j) and not lower[j].endswith("ing") for j in range(1, i))

    spans = []
    for i, low in enumerate(lower):
        if i > 0 and tokens[i][0].isupper():
            continue  # names stay
        spans += modifier(i)
        end = until_punctuation(i + 1)
        if low in PREPOSITIONS:
            spans += prepositional(i, end)
        elif low in COORDINATORS:
            if any(verb(j) for j in range(i + 1, end)) and clause_before(i) and coordinated_clause_may_go(i):
                spans.append((i, end))
        elif low == "so":  # "so I can review it", ", so please plan"; not "so much", "so absurd that"
            if i > 0 and (lower[i - 1] == "," or (i + 1 < n and lower[i + 1] in SUBJECTS)):
                spans.append((i, end))
        elif low in CLAUSE_STARTS or (low in ("which", "who") and i > 0 and lower[i - 1] == ","):
            spans.append((i, end))
        elif low == "," and i > 0 and end - i >= 3 and clause_before(i) and not subordinate_opening(i):
            if i > 1 and lower[i - 2] in DETERMINERS and "a" in lexicon.tags_of(lower[i - 1]):
                continue  # "a slow, salted algorithm"
            aside = end < n - 1 and tokens[end] == "," and lower[end + 1] not in COORDINATORS
            spans.append((i, end + 1 if aside else end))  # "walking(, one of life's simple pleasures,) into"
    return [
        (s, e)
        for s, e in dict.fromkeys(spans)
        if (s, e) != (0, n)
        and not (s > 0 and lower[s - 1] in DANGLING and (e == n or not tokens[e][0].isalnum()))
        and not (s > 0 and lower[s - 1] in COORDINATORS)  # "through or (along the borders)"
        and not (s > 0 and lower[s - 1] in DANGLING and e < n and lower[e] in PREPOSITIONS)  # "for (most) of"
    ]
