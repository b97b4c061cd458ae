"""Rebuild the offline training corpus for the embedded codec.

Sources (Debian packages, installed with `apt-get install fortunes fortunes-min wordnet-base
dict-gcide python3.11-doc debian-handbook debian-reference-en linux-doc dict-foldoc dict-jargon
dict-devil`):
  - fortunes: every fortune file, split into sentences;
  - wordnet-base: the quoted example sentences inside the synset glosses;
  - dict-gcide: the literary citations quoted under dictionary senses;
  - /usr/share/doc: README-like plain-text docs (technical register);
and, for the decoder only, data/corpus/extra.txt:
  - linux-doc: English sentences of the kernel's documentation, 60,000 of its 79,752 at random,
    so that kernel prose stays under a third of the decoder's text;
  - manuals: the paragraphs of the English HTML manuals (Python's documentation and tutorial,
    the Debian Administrator's Handbook, the Debian Reference);
  - dictionaries in prose (dictd databases): FOLDOC, the Jargon File and Ambrose Bierce's The
    Devil's Dictionary, their definitions without headwords, tags and cross-reference braces;
  - games' English prose: the stories, dialogue and descriptions of Battle for Wesnoth's campaigns,
    Freeciv, Endless Sky, Cataclysm: Dark Days Ahead, Dungeon Crawl Stone Soup, Naev, FreeOrion,
    GearHead 1 and 2, Flare, UFO: Alien Invasion, Widelands, FreedroidRPG and Adonthell's Waste's
    Edge (`apt-get install --no-install-recommends wesnoth-1.16-{did,dm,dw,ei,httt,l,low,nr,sof,sota,
    sotbe,thot,trow,tsg,ttb,utbs} freeciv-data endless-sky-data cataclysm-dda-data crawl-common
    naev-data freeorion-data gearhead-data gearhead2-data flare-game ufoai-misc widelands-data
    freedroidrpg-data adonthell-data`, in bash).
train.txt is also the source of the word lexicon, the sparse autoencoder and its labels, which
is why the extra text goes to a file of its own. /usr/share/doc holds what the machine has
installed, so its share of train.txt grows with the packages on it. Sentences are ASCII-only,
4 to 40 words, deduplicated, shuffled with a fixed seed, and every dev-set sentence
(data/dev/sentences.tsv) and direction example (server/refract/space/examples/) is excluded.

    python training/build_corpus.py            # writes data/corpus/train.txt and extra.txt
"""

from __future__ import annotations

import argparse
import gettext
import gzip
import json
import random
import re
from collections.abc import Callable, Iterable, Iterator
from html.parser import HTMLParser
from pathlib import Path

from refract.language import language

ROOT = Path(__file__).resolve().parents[1]
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'(A-Z])")
FORTUNE_ATTRIBUTION = re.compile(r"\s*--\s*[A-Z].*$")


def split_sentences(paragraph: str) -> list[str]:
    text = " ".join(paragraph.split())
    return [s.strip() for s in SENTENCE_END.split(text) if s.strip()]


def is_good(sentence: str) -> bool:
    if not sentence.isascii() or any(c in sentence for c in "|<>{}[]\\_=#@*~^`"):
        return False
    words = sentence.split()
    if not 4 <= len(words) <= 40 or sentence[-1] not in ".!?\"'" or " - " in sentence:
        return False
    letters = sum(c.isalpha() for c in sentence)
    if letters < 0.7 * len(sentence.replace(" ", "")):
        return False
    return sentence[0].isalnum() or sentence[0] in "\"'("


def is_english(sentence: str) -> bool:
    """Not plainly another language by the rewrites' own check (refract.language): the kernel's
    English-marker test let 118 lines of its Italian translation through ("a" and "in" are
    Italian words too), and the fortunes hold some mock German."""
    return language(sentence) is None


def fortunes(folder: Path = Path("/usr/share/games/fortunes")) -> Iterator[str]:
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or path.suffix in {".dat", ".u8"}:
            continue
        text = path.read_text(encoding="latin-1", errors="replace")
        for entry in text.split("\n%\n"):
            # Indented lines are usually verse, code or ASCII art; attributions are not prose.
            lines = [ln for ln in entry.splitlines() if ln.strip() and not ln.startswith(("\t", "    "))]
            body = FORTUNE_ATTRIBUTION.sub("", " ".join(lines))
            yield from split_sentences(body)


def wordnet_examples(folder: Path = Path("/usr/share/wordnet")) -> Iterator[str]:
    for path in sorted(folder.glob("data.*")):
        for line in path.read_text(encoding="latin-1").splitlines():
            if line.startswith("  "):
                continue
            for example in re.findall(r'"([^"]+)"', line.partition("|")[2]):
                example = example.strip()
                if example and example[-1] not in ".!?":
                    example += "."
                yield example[:1].upper() + example[1:]


def gcide_citations(path: Path = Path("/usr/share/dictd/gcide.dict.dz")) -> Iterator[str]:
    text = gzip.open(path, "rt", encoding="utf-8", errors="replace").read()
    block: list[str] = []
    for line in text.splitlines():
        if line.startswith(" " * 10) and not line.strip().startswith("["):
            block.append(line.strip())
            continue
        if block:
            quote = re.sub(r"\s*--\s*\S.*$", "", " ".join(block)).strip()
            block = []
            yield from split_sentences(quote)


# Left out of debian_docs(): the kernel's docs, read by kernel_docs() (with linux-perf and linux-libc-dev,
# which linux-doc pulls in: no prose a writer edits), and the notes of the packages installed for
# extra.txt (the dictionaries that dictionary_prose() reads, the games and the libraries they pull in),
# which would otherwise change train.txt (and its held-out head).
SKIPPED_DOCS = ("linux-", "dict-foldoc", "dict-jargon", "dict-devil")
SKIPPED_DOCS += ("wesnoth-", "freeciv-", "endless-sky-", "cataclysm-dda-", "crawl-", "naev-")
SKIPPED_DOCS += ("fonts-droid-fallback",)
SKIPPED_DOCS += ("libboost-locale", "libboost-random", "libboost-thread", "libmodplug", "libopusfile")
SKIPPED_DOCS += ("libpulse", "libsdl2-")
SKIPPED_DOCS += ("freeorion", "gearhead", "flare-", "ufoai-", "widelands-", "freedroidrpg-", "adonthell")
SKIPPED_DOCS += ("fonts-hosny-amiri", "culmus-fancy", "ttf-bitstream-vera", "fonts-freefont-ttf", "fonts-wqy-microhei")


def debian_docs(folder: Path = Path("/usr/share/doc"), skip: tuple[str, ...] = SKIPPED_DOCS) -> Iterator[str]:
    for path in sorted(folder.rglob("*")):
        name = path.name.lower()
        if not path.is_file() or name.startswith(("copyright", "changelog")) or path.stat().st_size > 400_000:
            continue
        # HTML manuals are read paragraph by paragraph by manuals()
        if name.endswith((".html", ".htm")) or path.relative_to(folder).parts[0].startswith(skip):
            continue
        try:
            raw = gzip.open(path).read() if path.suffix == ".gz" else path.read_bytes()
        except OSError:
            continue
        if b"\0" in raw[:1000]:
            continue
        text = raw.decode("utf-8", errors="replace")
        for paragraph in re.split(r"\n\s*\n", text):
            if paragraph.lstrip().startswith(("-", "*", "$", "#", ">")):
                continue
            yield from split_sentences(paragraph)


ENGLISH_MARKERS = frozenset("the a an is are was of to and in it this that be for with not".split())


def kernel_docs(folder: Path = Path("/usr/share/doc/linux-doc"), keep: int = 60_000, seed: int = 0) -> Iterator[str]:
    """A fixed random sample of the kernel documentation's English sentences (it has translations too)."""
    sentences = debian_docs(folder.resolve(), skip=())
    english = {s for s in sentences if is_good(s) and ENGLISH_MARKERS & set(s.lower().split())}
    yield from random.Random(seed).sample(sorted(english), min(keep, len(english)))


class _Paragraphs(HTMLParser):
    """The text of every <p> element, code inside it marked "|" so that its sentence is dropped."""

    def __init__(self) -> None:
        super().__init__()
        self.paragraphs: list[str] = []
        self._open: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "p":
            self._open = []
        elif tag in {"code", "pre", "kbd", "tt", "span"} and self._open is not None:
            self._open.append("|")  # a sentence with code in it is not prose a writer edits

    def handle_endtag(self, tag: str) -> None:
        if tag == "p" and self._open is not None:
            self.paragraphs.append("".join(self._open))
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open.append(data)


MANUALS = (
    (Path("/usr/share/doc/python3.11/html"), "**/*.html"),
    (Path("/usr/share/doc/debian-handbook/html/en-US"), "*.html"),
    (Path("/usr/share/debian-reference"), "*.en.html"),
)


def manuals(sources: tuple[tuple[Path, str], ...] = MANUALS) -> Iterator[str]:
    for folder, pattern in sources:
        for path in sorted(folder.glob(pattern)):
            parser = _Paragraphs()
            parser.feed(path.read_text(encoding="utf-8", errors="replace"))
            for paragraph in parser.paragraphs:
                yield from split_sentences(paragraph)


# dictd databases written in prose: (name, how far a paragraph of prose is indented, what opens one
# and is not prose: FOLDOC's subject tag "<language>", the Jargon File's "[from J. M. Barrie's Peter
# Pan]", the Devil's Dictionary's headword "LIFE, n."; its indented paragraphs are verse).
DICTIONARIES = (
    ("foldoc", 3, r"^<[^>]*>\s*(\([^)]*\)\s*)?"),  # and the headword's long form: "(AIX) IBM's version of Unix"
    ("jargon", 4, r"^\[[^\]]*\]\s*"),
    ("devil", 0, r"^[A-Z](?:[^\n,a-z]|or)*, [a-z. ]+?\s\s"),  # "BABE or BABY, n.", "TZETZE (or TSETSE) FLY, n."
)


def dictionary_prose(name: str, indent: int, opener: str, folder: Path = Path("/usr/share/dictd")) -> Iterator[str]:
    """The sentences of a dictd database's prose paragraphs, cross-references ("{BNF}") as plain words."""
    text = gzip.open(folder / f"{name}.dict.dz", "rt", encoding="utf-8", errors="replace").read()
    for paragraph in re.split(r"\n[ \t]*\n", text):
        first = paragraph.lstrip("\n")
        if len(first) - len(first.lstrip(" ")) == indent:
            body = " ".join(re.sub(opener, "", paragraph.strip(), count=1).split())
            yield from split_sentences(body.replace("{", "").replace("}", ""))


# Games' English prose (extra.txt; the packages in the docstring): people's stories, dialogue and
# descriptions, the narrative and encyclopedic registers the documentation lacks. Translations and code
# are left out.
GAMES = Path("/usr/share/games")
PLACEHOLDER = re.compile(r"[$%]")  # "$unit.name", "%s": filled in by the game, not prose
# Typographic quotes and dashes, which some games write, in the ASCII the corpus keeps.
TYPOGRAPHIC = str.maketrans(
    {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2014": " - ", "\u2026": "..."}
)


def game_prose(text: str) -> Iterator[str]:
    """The sentences of a game string, paragraph by paragraph; a quotation split across sentences
    loses its unpaired outer mark ('"Are you sure?' -> 'Are you sure?')."""
    for paragraph in re.split(r"\n\s*\n", text.translate(TYPOGRAPHIC)):
        for sentence in split_sentences(paragraph):
            if sentence.count('"') % 2:
                sentence = sentence.removeprefix('"').removesuffix('"')
            if not PLACEHOLDER.search(sentence):
                yield sentence


def game_files(paths: Iterable[Path], strings: Callable[[str], Iterable[str]]) -> Iterator[str]:
    """The sentences of the strings that `strings` finds in each of these files, in path order."""
    for path in sorted(paths):
        for string in strings(path.read_text(encoding="utf-8", errors="replace")):
            yield from game_prose(string)


def wesnoth_strings(text: str) -> Iterator[str]:
    for string in re.findall(r'_\s*"((?:[^"]|"")*)"', text):
        yield string.replace('""', '"')


def wesnoth_text(folder: Path = GAMES / "wesnoth") -> Iterator[str]:
    """Battle for Wesnoth's translatable strings (_ "..."; quotes inside are doubled): its campaigns'
    stories and dialogue, its units' descriptions."""
    return game_files(folder.rglob("*.cfg"), wesnoth_strings)


# _("...") in Freeciv's rulesets and in Lua and Python scripts, with C's escapes (a line may end in \ to go
# on); Lua's _([[...]]) and _"...".
GETTEXT = re.compile(r'(?<!\w)_(?:\(\s*(?:"((?:[^"\\]|\\.)*)"|\[\[(.*?)\]\])\s*\)|"((?:[^"\\]|\\.)*)")', re.S)


def gettext_strings(text: str) -> Iterator[str]:
    for quoted, long, bare in GETTEXT.findall(text):
        yield long or (quoted or bare).replace("\\\n", "").replace('\\"', '"').replace("\\n", "\n")


def freeciv_text(folder: Path = GAMES / "freeciv") -> Iterator[str]:
    """Freeciv's translatable strings (in its rulesets and help): nations' histories, the help on
    units, buildings and governments."""
    return game_files([*folder.rglob("*.ruleset"), folder / "helpdata.txt"], gettext_strings)


def endless_sky_strings(text: str) -> Iterator[str]:
    for line in text.splitlines():
        if quoted := re.fullmatch(r"`(.*)`|description\s+\"(.*)\"", line.strip()):
            yield quoted.group(1) or quoted.group(2) or ""


def endless_sky_text(folder: Path = GAMES / "endless-sky/data") -> Iterator[str]:
    """Endless Sky's conversations and descriptions: its `quoted` lines and description "..." lines."""
    return game_files(folder.rglob("*.txt"), endless_sky_strings)


def naev_text(folder: Path = Path("/usr/share/naev/dat")) -> Iterator[str]:
    """Naev's missions and events (the translatable strings of its Lua scripts) and the descriptions
    of its planets, ships and outfits (<description> in its XML)."""
    yield from game_files(folder.rglob("*.lua"), gettext_strings)
    for path in sorted(folder.rglob("*.xml")):
        text = path.read_text(encoding="utf-8", errors="replace")
        for description in re.findall(r"<description>(.*?)</description>", text, re.S):
            yield from game_prose(description)


def _json_strings(value: object, key: str = "") -> Iterator[str]:
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _json_strings(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from _json_strings(v, key)
    elif isinstance(value, str) and not key.startswith("//"):  # "//" keys hold the developers' comments
        yield value


def cataclysm_text(folder: Path = GAMES / "cataclysm-dda") -> Iterator[str]:
    """Cataclysm: Dark Days Ahead's JSON strings (items', places' and creatures' descriptions, dialogue)."""
    for path in sorted([*(folder / "json").rglob("*.json"), *(folder / "mods").rglob("*.json")]):
        try:
            data = json.loads(path.read_text(encoding="utf-8", errors="replace"))
        except ValueError:
            continue
        for string in _json_strings(data):
            yield from game_prose(string)


def crawl_text(folder: Path = Path("/usr/share/crawl/dat")) -> Iterator[str]:
    """Dungeon Crawl Stone Soup's English descriptions and sayings: entries parted by %%%%, each a key
    line, then its text (the translations lie in subfolders, left out)."""
    for path in sorted([*folder.glob("descript/*.txt"), *folder.glob("database/*.txt")]):
        for entry in path.read_text(encoding="utf-8", errors="replace").split("%%%%"):
            lines = [ln for ln in entry.strip("\n").splitlines() if not ln.startswith("#")]
            yield from game_prose("\n".join(lines[1:]))


def freeorion_text(path: Path = GAMES / "freeorion/default/stringtables/en.txt") -> Iterator[str]:
    """FreeOrion's English string table: each entry a KEY line, then its text on the next line or
    between triple quotes (species, technologies, buildings, the help)."""
    text = re.sub(r"^#.*$", "", path.read_text(encoding="utf-8", errors="replace"), flags=re.M)
    yield from game_prose(re.sub(r"^[A-Z][A-Z0-9_]*$|\'\'\'", "\n\n", text, flags=re.M))


GEARHEAD_TEXT = ("Msg", "CMsg", "Prompt", "greeting", "desc")  # the keys whose <...> is said or described


def gearhead_strings(text: str) -> Iterator[str]:
    for key, value in re.findall(r"^\s*([A-Za-z]+)[0-9_]*\s*<([^<>]*)>", text, re.M):
        if key in GEARHEAD_TEXT:
            yield value


def gearhead_text(folders: tuple[Path, ...] = (GAMES / "gearhead", GAMES / "gearhead2")) -> Iterator[str]:
    """GearHead's and GearHead 2's conversations and descriptions of things: `Msg12 <...>` lines in
    their scripts (names filled in by the game are written \\ELEMENT 3 and the like, so left out)."""
    return game_files((p for folder in folders for p in folder.rglob("*.txt")), gearhead_strings)


def flare_strings(text: str) -> Iterator[str]:
    for value in re.findall(r"^(?:text|him|her|you|quest_text|description|flavor|msg)=(.*)$", text, re.M):
        yield value.replace("\\n", "\n").strip("()")


def flare_text(folder: Path = GAMES / "flare/mods") -> Iterator[str]:
    """Flare's books, cutscenes, dialogue and quest log: its `key=text` lines of those keys."""
    return game_files(folder.rglob("*.txt"), flare_strings)


def ufoai_text(path: Path = GAMES / "ufoai/base/i18n/en/LC_MESSAGES/ufoai.mo") -> Iterator[str]:
    """UFO: Alien Invasion's English catalog: its research reports, the encyclopedia, mission briefings."""
    with path.open("rb") as f:  # a gettext catalog: strings in a fixed binary layout, no code
        catalog = gettext.GNUTranslations(f)._catalog  # noqa: SLF001  (the one way to list a catalog)
    for key, value in catalog.items():
        if key:  # "" is the catalog's header
            yield from game_prose(value)


def widelands_text(folder: Path = GAMES / "widelands/data") -> Iterator[str]:
    """Widelands' campaigns, tutorials and the help on its tribes' buildings and wares."""
    return game_files(folder.rglob("*.lua"), gettext_strings)


def freedroid_text(folder: Path = Path("/usr/share/freedroidrpg/data")) -> Iterator[str]:
    """FreedroidRPG's dialogue and item descriptions."""
    return game_files(folder.rglob("*.lua"), gettext_strings)


def adonthell_text(folder: Path = GAMES / "adonthell/games/wastesedge/scripts") -> Iterator[str]:
    """Adonthell's Waste's Edge: a detective story's dialogue."""
    return game_files(folder.rglob("*.py"), gettext_strings)


GAMES_READ = {
    "wesnoth": wesnoth_text,
    "freeciv": freeciv_text,
    "endless-sky": endless_sky_text,
    "cataclysm": cataclysm_text,
    "crawl": crawl_text,
    "naev": naev_text,
    "freeorion": freeorion_text,
    "gearhead": gearhead_text,
    "flare": flare_text,
    "ufoai": ufoai_text,
    "widelands": widelands_text,
    "freedroid": freedroid_text,
    "adonthell": adonthell_text,
}


def build(sources: Iterable[Iterator[str]], exclude: set[str], seed: int = 0) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for source in sources:
        for sentence in source:
            key = sentence.lower()
            if is_good(sentence) and key not in seen and key not in exclude:
                seen.add(key)
                out.append(sentence)
    random.Random(seed).shuffle(out)
    return out


def collect(named: dict[str, Iterator[str]], exclude: set[str]) -> tuple[list[str], dict[str, int]]:
    """Sentences of every source in turn, each new only if no earlier source had it; counts by source."""
    counts = {}
    total: list[str] = []
    for name, source in named.items():
        before = len(total)
        total = build([iter(total), source], exclude)  # keeps earlier sentences, dedups across sources
        counts[name] = len(total) - before
    return total, counts


def dev_sentences() -> list[str]:
    """The hand-written dev set's sentences (data/dev/sentences.tsv), which no training may see."""
    return [ln.split("\t", 1)[1] for ln in (ROOT / "data/dev/sentences.tsv").read_text().splitlines()[1:]]


def held_out() -> set[str]:
    """Text that never reaches training, lowercased: the dev set and the direction example pairs."""
    exclude = {s.lower() for s in dev_sentences()}
    for pairs in (ROOT / "server/refract/space/examples").glob("*.tsv"):
        exclude |= {cell.lower() for ln in pairs.read_text().splitlines()[1:] for cell in ln.split("\t")}
    return exclude


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "data/corpus", help="folder for train.txt and extra.txt")
    args = parser.parse_args()
    exclude = held_out()
    train, counts = collect(
        {"fortunes": fortunes(), "wordnet": wordnet_examples(), "gcide": gcide_citations(), "docs": debian_docs()},
        exclude,
    )
    prose = {name: dictionary_prose(name, indent, opener) for name, indent, opener in DICTIONARIES}
    games = {name: read() for name, read in GAMES_READ.items()}
    extra_sources = {"kernel": kernel_docs(), "manuals": manuals(), **prose, **games}
    extra, extra_counts = collect(extra_sources, exclude | {s.lower() for s in train})
    args.out.mkdir(parents=True, exist_ok=True)
    for name, lines, numbers in (("train", train, counts), ("extra", extra, extra_counts)):
        # Dropped last, so the English lines keep the order (and train.txt the held-out head) they had.
        kept = [s for s in lines if is_english(s)]
        numbers["not English"], lines = len(kept) - len(lines), kept
        (args.out / f"{name}.txt").write_text("\n".join(lines) + "\n")
        print(" ".join(f"{k}={v}" for k, v in numbers.items()), f"total={len(lines)} -> {args.out / name}.txt")


if __name__ == "__main__":
    main()
