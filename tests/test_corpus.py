"""The training corpus builder: which text from the offline sources becomes decoder training data."""

from __future__ import annotations

import gzip
import struct
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "training"))

import build_corpus  # noqa: E402  (scripts, not part of the package)
import synthesize_corpus  # noqa: E402

MANUAL_PAGE = """<html><body>
<h1>Installing packages</h1>
<p>The package manager keeps track of every file it installs. Removing a package
removes those files again.</p>
<p>Run <code class="docutils literal"><span class="pre">apt</span> <span class="pre">update</span></code>
before you install anything. Updates arrive every day.</p>
<pre>This preformatted block is not a paragraph.</pre>
</body></html>
"""


def test_manuals_keep_paragraph_prose_and_drop_sentences_with_code(tmp_path: Path) -> None:
    (tmp_path / "install.html").write_text(MANUAL_PAGE)
    sentences = [s for s in build_corpus.manuals(((tmp_path, "*.html"),)) if build_corpus.is_good(s)]
    assert sentences == [
        "The package manager keeps track of every file it installs.",
        "Removing a package removes those files again.",
        "Updates arrive every day.",
    ]


def test_kernel_docs_keep_a_fixed_sample_of_english_sentences(tmp_path: Path) -> None:
    english = [f"The driver number {i} registers a callback with the core." for i in range(30)]
    italian = "Se un gestore di interruzioni hardware condivide dati con un softirq, allora avrete due preoccupazioni."
    (tmp_path / "Documentation").mkdir()
    with gzip.open(tmp_path / "Documentation" / "driver.rst.gz", "wt") as f:
        f.write("\n\n".join([*english, italian]))
    first = list(build_corpus.kernel_docs(tmp_path, keep=10, seed=0))
    assert first == list(build_corpus.kernel_docs(tmp_path, keep=10, seed=0))
    assert len(first) == 10 and set(first) <= set(english)
    assert italian in build_corpus.debian_docs(tmp_path, skip=())  # read, then refused as not English


def test_text_plainly_in_another_language_is_not_english() -> None:
    # Lines of the corpus before the check: the kernel's Italian translation, a fortune's mock German.
    assert not build_corpus.is_english("Il kernel offre delle buone funzioni a questo scopo.")
    assert not build_corpus.is_english("Ist nicht fur gewerken by das dummkopfen.")
    assert build_corpus.is_english("The driver registers a callback with the core, as in Linux.")
    reply = "Le chat dort sur le lit tout le jour avec nous.\nThe cat sleeps on the sofa all day long."
    assert list(synthesize_corpus.sentences_of(reply)) == ["The cat sleeps on the sofa all day long."]


def test_synthetic_replies_keep_the_text_and_drop_its_framing() -> None:
    reply = (
        "Here is a short review of the rice cooker:\n\n"
        "Subject: My rice cooker\n"
        '"The rice cooker works well and cleans up in seconds. I use it every day!"\n'
        "Pros:\n"
        "Too short.\n"
        "PS: The lid comes off for washing.\n"
    )
    assert list(synthesize_corpus.sentences_of(reply)) == [
        "The rice cooker works well and cleans up in seconds.",
        "I use it every day!",
        "The lid comes off for washing.",
    ]


def test_synthetic_prompts_are_fixed_by_the_seed_and_cover_every_register() -> None:
    first = [p for p, _ in zip(synthesize_corpus.prompts(0), range(200), strict=False)]
    assert first == [p for p, _ in zip(synthesize_corpus.prompts(0), range(200), strict=False)]
    for register, subjects in synthesize_corpus.LISTS.items():
        assert any(any(s in p for s in subjects) for p in first), register


FOLDOC_ENTRY = """ALGOL 68

   <language> (Algorithmic Language 68) An extensive revision of {ALGOL 60} by Adriaan van
   Wijngaarden et al.  Its definition was accepted in December 1968.

   ["Revised Report", CACM 6(1):1-17 (Jan 1963)].

   (1995-01-25)

"""
DEVIL_ENTRY = """LIFE, n.  A spiritual pickle preserving the body from decay.  We live
in daily apprehension of its loss.

    The rising People, hot and out of breath,
    Roared around the palace:  "Liberty or death!"

BABE or BABY, n.  A misshapen creature of no particular age, sex, or
condition.

"""


def test_dictionaries_give_their_definitions_as_prose(tmp_path: Path) -> None:
    for name, text in (("foldoc", FOLDOC_ENTRY), ("devil", DEVIL_ENTRY)):
        (tmp_path / f"{name}.dict.dz").write_bytes(gzip.compress(text.encode()))
    prose = {name: (indent, opener) for name, indent, opener in build_corpus.DICTIONARIES}

    def read(name: str) -> list[str]:
        sentences = build_corpus.dictionary_prose(name, *prose[name], folder=tmp_path)
        return [s for s in sentences if build_corpus.is_good(s)]

    # no subject tag, long form of the headword, braces, citation or date
    assert read("foldoc") == [
        "An extensive revision of ALGOL 60 by Adriaan van Wijngaarden et al.",
        "Its definition was accepted in December 1968.",
    ]
    # no headword, and no verse
    assert read("devil") == [
        "A spiritual pickle preserving the body from decay.",
        "We live in daily apprehension of its loss.",
        "A misshapen creature of no particular age, sex, or condition.",
    ]


# Snippets in each game's own file format (the packages are not installed where the tests run).
FREEORION_STRINGS = """# Species
SP_GASEOUS_DESC
A species of patient gas giant dwellers.

LORE_FIRST_WORLDS
'''The first planets were shaped by hand.
Nobody remembers how it was done. See [[tech SHP_ZORTRIUM_PLATE]].'''
"""
GEARHEAD_PLOT = """Plot
\tname <Rescue the Girl>
\tMsg1 <I think I saw the girl you are looking for. She went to the Golden Hotel.>
\tMsg2 <You have been looking for \\ELEMENT 3 , right?>
"""
FLARE_NPC = """[dialog]
topic=Help the guard
him=You there! I need your help.
him=(He hands you a wooden bear figurine.)
"""
LUA_DIALOGUE = """body = p(_([[Build two woodcutter’s houses near the forest.]]))
Npc:says(_"Welcome to the Red Guard!")
"""
WESNOTH_SCENARIO = """[message]
    speaker=Konrad
    message= _ "We must cross the river before nightfall. Delfador said it was ""safe"" there."
[/message]
[message]
    message= _ "Well done, $unit.name|! The orcs are fleeing."
[/message]
"""
FREECIV_RULESET = """[nation_aztec]
legend    = _("\\
The Aztecs were a people of central Mexico.\\
 Their capital stood on an island in a lake.\\
")
helptext = _("Each city pays %d gold a turn.")
"""
ENDLESS_SKY_MISSION = """mission "Deliver Crates"
\tdescription "Carry the crates to <planet> before the deadline."
\ton offer
\t\tconversation
\t\t\t`The captain looks you over. "Are you the pilot? I expected someone older."`
\t\t\t`\t"Never mind," she says.`
"""
CATACLYSM_ITEMS = """[
  {"type": "GENERIC", "name": "rusty key", "//": "This comment is for the developers only.",
   "description": "A small key, red with rust. It might still open something."}
]
"""
NAEV_MISSION = """local text = {}
text[1] = _([[You land on the dusty moon. A dockworker waves you over.]])
misn.setDesc(_("Take the \\"package\\" to %s. Payment is on delivery."))
"""
NAEV_OUTFIT = """<outfit name="Laser">
<description>A cheap and cheerful laser. Pirates love it dearly.</description></outfit>"""
CRAWL_DESCRIPTIONS = """%%%%
# Monsters
goblin

A small and ugly creature with a taste for mischief. It rarely fights fair.
%%%%
"""


def test_game_text_keeps_the_prose_of_each_format_and_drops_placeholders_and_comments(tmp_path: Path) -> None:
    (tmp_path / "wesnoth").mkdir()
    (tmp_path / "wesnoth" / "01_Crossing.cfg").write_text(WESNOTH_SCENARIO)
    (tmp_path / "freeciv").mkdir()
    (tmp_path / "freeciv" / "nations.ruleset").write_text(FREECIV_RULESET)
    (tmp_path / "freeciv" / "helpdata.txt").write_text("")
    (tmp_path / "es").mkdir()
    (tmp_path / "es" / "missions.txt").write_text(ENDLESS_SKY_MISSION)
    (tmp_path / "cdda" / "json").mkdir(parents=True)
    (tmp_path / "cdda" / "json" / "items.json").write_text(CATACLYSM_ITEMS)
    (tmp_path / "naev" / "missions").mkdir(parents=True)
    (tmp_path / "naev" / "missions" / "cargo.lua").write_text(NAEV_MISSION)
    (tmp_path / "naev" / "laser.xml").write_text(NAEV_OUTFIT)
    (tmp_path / "crawl" / "descript").mkdir(parents=True)
    (tmp_path / "crawl" / "descript" / "monsters.txt").write_text(CRAWL_DESCRIPTIONS)

    def good(source):
        return [s for s in source if build_corpus.is_good(s)]

    assert good(build_corpus.wesnoth_text(tmp_path / "wesnoth")) == [
        "We must cross the river before nightfall.",
        'Delfador said it was "safe" there.',
        "The orcs are fleeing.",
    ]
    assert good(build_corpus.freeciv_text(tmp_path / "freeciv")) == [
        "The Aztecs were a people of central Mexico.",
        "Their capital stood on an island in a lake.",
    ]
    assert good(build_corpus.endless_sky_text(tmp_path / "es")) == [
        "The captain looks you over.",
        "Are you the pilot?",  # the quotation's outer marks, split apart, are dropped
        "I expected someone older.",
        '"Never mind," she says.',
    ]
    assert good(build_corpus.cataclysm_text(tmp_path / "cdda")) == [
        "A small key, red with rust.",
        "It might still open something.",
    ]
    assert good(build_corpus.crawl_text(tmp_path / "crawl")) == [
        "A small and ugly creature with a taste for mischief.",
        "It rarely fights fair.",
    ]
    assert good(build_corpus.naev_text(tmp_path / "naev")) == [
        "You land on the dusty moon.",
        "A dockworker waves you over.",
        "Payment is on delivery.",
        "A cheap and cheerful laser.",
        "Pirates love it dearly.",
    ]


def write_catalog(path: Path, messages: dict[str, str]) -> None:
    """A GNU gettext .mo file: a header of offsets, two tables of (length, offset), the strings."""
    keys = sorted(messages)
    ids, strs = [k.encode() for k in keys], [messages[k].encode() for k in keys]
    start = 28 + 16 * len(keys)
    table, blob = [], b""
    for s in (*ids, *strs):
        table += [len(s), start + len(blob)]
        blob += s + b"\0"
    header = struct.pack("<7I", 0x950412DE, 0, len(keys), 28, 28 + 8 * len(keys), 0, 0)
    path.write_bytes(header + struct.pack(f"<{len(table)}I", *table) + blob)


def test_more_games_text_keeps_the_prose_of_each_format(tmp_path: Path) -> None:
    (tmp_path / "en.txt").write_text(FREEORION_STRINGS)
    (tmp_path / "gearhead" / "series").mkdir(parents=True)
    (tmp_path / "gearhead" / "series" / "PLOT_Rescue.txt").write_text(GEARHEAD_PLOT)
    (tmp_path / "flare" / "npcs").mkdir(parents=True)
    (tmp_path / "flare" / "npcs" / "guard.txt").write_text(FLARE_NPC)
    report = "Commander, the autopsy is done. It took %d days."
    write_catalog(tmp_path / "ufoai.mo", {"": "Language: en\n", "_report": report})
    (tmp_path / "scripts").mkdir()
    (tmp_path / "scripts" / "texts.lua").write_text(LUA_DIALOGUE)
    python = 'text = [_("You are Erek, aren\'t you?"), my_"Not a string to read."]'
    (tmp_path / "scripts" / "erek.py").write_text(python)

    def good(source):
        return [s for s in source if build_corpus.is_good(s)]

    assert good(build_corpus.freeorion_text(tmp_path / "en.txt")) == [
        "A species of patient gas giant dwellers.",
        "The first planets were shaped by hand.",
        "Nobody remembers how it was done.",
    ]
    assert good(build_corpus.gearhead_text((tmp_path / "gearhead",))) == [
        "I think I saw the girl you are looking for.",
        "She went to the Golden Hotel.",
    ]
    assert good(build_corpus.flare_text(tmp_path / "flare")) == [
        "I need your help.",  # "You there!" is too short a sentence
        "He hands you a wooden bear figurine.",
    ]
    assert good(build_corpus.ufoai_text(tmp_path / "ufoai.mo")) == ["Commander, the autopsy is done."]
    assert good(build_corpus.game_files((tmp_path / "scripts").rglob("*"), build_corpus.gettext_strings)) == [
        "You are Erek, aren't you?",
        "Build two woodcutter's houses near the forest.",  # the typographic apostrophe in ASCII
        "Welcome to the Red Guard!",
    ]
