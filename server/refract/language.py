"""Whether a selection is English, roughly: the embedded model reads English only.

A text in another script is told by its letters. A text in the Latin script is told by its most
common words: English prose is full of "the", "of" and "is", German of "der", "und" and "ist".
Only those that are not also English words count ("die", "in" and "a" do not), so English with a
foreign phrase in it ("c'est la vie") still reads as English. No model is needed, so the check
runs before one is loaded.
"""

from __future__ import annotations

import re
import unicodedata

ENGLISH = frozenset(
    "the and of to is was are were that this with for it in on a an be have has had not you he she we they at by"
    " from or but as will would can my your his her their our i".split()
)
# Common words of each language that are not English words as well.
OTHERS = {
    "German": "der das und ist nicht ein eine einen mit dem auf für sich auch zu von im sind wird wurde nach bei aus"
    " wie oder aber wir ich sie er es durch über noch nur schon sehr",
    "French": "le la les et est une des du dans pour que qui pas sur avec au aux ce cette il elle nous vous ils sont"
    " mais ou très je sa son ses leur c'est n'est d'un d'une l'on",
    "Spanish": "el los las y es una del que por con para se su al lo como más pero muy está son sus",
    "Italian": "il gli della che è per una sono di del nel alla lo le questo questa anche ma più molto essere"
    " possono dei delle alcuni sul nella",
    "Portuguese": "os uma não com para é da em que das na mais muito ele ela",
    "Dutch": "het een en van niet te met zijn voor ook maar wordt naar bij uit ik je wij hij",
}
COMMON = {language: frozenset(words.split()) for language, words in OTHERS.items()}
# A word between spaces and punctuation: not the "com" of "www.example.com" nor the "non" of "non-Linux".
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
EDGES = "\"'“”‘’()[]{}<>,;:!?."


def script(text: str) -> str | None:
    """The script most of a text's letters are in when it is not the Latin one ("Cyrillic", "CJK")."""
    letters = [c for c in text if c.isalpha()]
    if not letters or sum(unicodedata.name(c, "").startswith("LATIN") for c in letters) >= 0.5 * len(letters):
        return None
    names = [unicodedata.name(c, "OTHER").split()[0] for c in letters]
    name = max(set(names), key=names.count)
    return name if name == "CJK" else name.title()


def language(text: str) -> str | None:
    """The language a text in the Latin script is in when it is plainly not English ("German"), else None."""
    words = [w.lower().replace("’", "'") for w in (t.strip(EDGES) for t in text.split()) if WORD.fullmatch(w)]
    english = sum(w in ENGLISH for w in words)
    hits = {name: sum(w in common for w in words) for name, common in COMMON.items()}
    best = max(hits, key=lambda k: hits[k])
    # Two common words at least, and twice as many as English ones: a short or mixed text stays English.
    return best if hits[best] >= 2 and hits[best] > 2 * english else None
