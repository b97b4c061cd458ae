"""Words placed in the embedding space: which words could stand in for which, and where each points.

Made by training/build_lexicon.py: corpus words tagged with their part of speech and inflection
(WordNet), each with its vector in the encoder's space. Source-anchored decoding (refract.revise)
asks it for the words that point furthest along an edit's direction and that can replace, or be
inserted beside, a word of the sentence without breaking its grammar.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np
import torch
from safetensors.numpy import load_file

from refract.codec import Codec
from refract.errors import CodecError
from refract.operations import unit

WEIGHTS = Path(__file__).parent / "weights"
LEXICON_FILES = ("lexicon.json", "lexicon.safetensors")


@dataclass(frozen=True)
class Lexicon:
    words: list[str]
    tags: list[tuple[str, ...]]  # e.g. ("n.pl", "v.s"): part of speech with inflection, most common use first
    vectors: np.ndarray  # (len(words), dim) unit rows
    function_words: frozenset[str]  # grammar words, classed as themselves
    classes: dict[str, int]  # word class -> row of `bigrams`
    bigrams: np.ndarray  # (C, C) log P(class b | class a) over the corpus, smoothed
    relatives: tuple[tuple[int, ...], ...] = ()  # per word, the rows of its WordNet relatives (synonyms, antonyms)
    common: frozenset[str] = frozenset()  # other words WordNet knows only in lowercase: "basalt", not "Paris"
    names: Mapping[str, str] = field(default_factory=dict)  # words WordNet writes only with capitals: "Danube"
    inflections: tuple[tuple[int, ...], ...] = ()  # per word, the rows of its other forms ("flow", "flowed")
    # The function words that stand alone ("the", "into"; not "ll" of "we'll"), with their vectors
    # (rows in this order): the decoding search (refract.correct) swaps and inserts them too.
    function_rows: tuple[str, ...] = ()
    function_vectors: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), np.float32))
    # Per word, then per function row: the sum of MiniLM's last-layer states of its tokens (alone and
    # in corpus sentences, half and half), and the norm of a sentence's summed states. MiniLM's vector
    # is the normalised sum of its tokens' states, so these say about how a word put in or taken out
    # moves a sentence's vector (refract.correct.Estimate).
    states: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), np.float32))
    state_norm: float = 0.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", {w: i for i, w in enumerate(self.words)})
        by_tag: dict[str, list[int]] = {}
        for i, tags in enumerate(self.tags):
            by_tag.setdefault(tags[0], []).append(i)
        object.__setattr__(self, "_by_tag", {tag: np.array(rows) for tag, rows in by_tag.items()})
        rows = {w: len(self.words) + i for i, w in enumerate(self.function_rows)}
        object.__setattr__(self, "_state_rows", rows)

    def index(self, word: str) -> int | None:
        return self._index.get(word.lower())  # type: ignore[attr-defined]

    @cached_property
    def state_lengths(self) -> np.ndarray:
        """Each row of `states` times itself."""
        return (self.states * self.states).sum(axis=1)

    def state_row(self, word: str) -> int | None:
        """The word's row of `states`: a lexicon word's or, after them, a function word's."""
        i = self.index(word)
        return i if i is not None else self._state_rows.get(word.lower())  # type: ignore[attr-defined]

    def tags_of(self, word: str) -> tuple[str, ...]:
        """The word's tags, most common use first; empty for words the lexicon does not hold."""
        i = self.index(word)
        return self.tags[i] if i is not None else ()

    def relatives_of(self, word: str, tag: str) -> list[str]:
        """The words `word` may swap with where it is used as `tag`: WordNet relatives with that tag."""
        i = self.index(word)
        rows = self.relatives[i] if i is not None and self.relatives else ()
        return [self.words[j] for j in rows if tag in self.tags[j]]

    def forms_of(self, word: str) -> list[str]:
        """The lexicon's other forms of `word` ("flows": "flow", "flowed", "flowing")."""
        i = self.index(word)
        return [self.words[j] for j in self.inflections[i]] if i is not None and self.inflections else []

    def is_common(self, word: str) -> bool:
        """Whether `word` is a common word rather than a name, so it loses its capital when it stops
        being the first word of a sentence."""
        low = word.lower()
        stems = [low]
        if low.endswith("ies"):
            stems.append(low[:-3] + "y")
        elif low.endswith("es"):
            stems += [low[:-2], low[:-1]]
        elif low.endswith("s") and not low.endswith(("ss", "is", "us")):
            stems.append(low[:-1])
        known = any(self.index(stem) is not None or stem in self.common for stem in stems)
        return low != "i" and low not in self.names and (low in self.function_words or known)

    def written(self, word: str) -> str:
        """A lexicon word as written inside a sentence: a name with its capitals ("Danube"), "I"."""
        return "I" if word == "i" else self.names.get(word, word)

    def along(self, directions: np.ndarray) -> np.ndarray:
        """Every word's vector along `directions` ((dim,) or (dim, k))."""
        return _product(self.vectors, directions)

    def products(self, directions: np.ndarray) -> np.ndarray:
        """Every word's states (`states`, function rows last) times `directions` ((dim, k))."""
        return _product(self.states, directions)

    def toward(self, direction: np.ndarray, k: int) -> dict[str, list[str]]:
        """Per usual part of speech, the k words whose vectors point furthest along direction."""
        return self.top(self.along(direction), k)  # once for all words: a copy per tag costs more

    def top(self, scores: np.ndarray, k: int) -> dict[str, list[str]]:
        """Per usual part of speech, the k words of highest score (one per word, in lexicon order)."""
        out = {}
        for tag, rows in self._by_tag.items():  # type: ignore[attr-defined]
            score = scores[rows]
            top = np.argpartition(-score, k)[:k] if len(rows) > k else np.arange(len(rows))
            out[tag] = [self.words[i] for i in rows[top[np.argsort(-score[top], kind="stable")]]]
        return out

    def ranked(self, words: frozenset[str], direction: np.ndarray) -> list[str]:
        """Those of `words` the lexicon holds, furthest along direction first."""
        rows = sorted(i for i in map(self.index, words) if i is not None)
        order = np.argsort(-(self.vectors[rows] @ direction))
        return [self.words[rows[i]] for i in order]

    def word_class(self, token: str) -> str:
        """A token's class for the grammar model: a function word itself, a content word's usual
        part of speech, "?" for other words (names), "#" for numbers, punctuation itself."""
        low = token.lower()
        if low in self.function_words:
            return low
        if token[0].isalpha():
            tags = self.tags_of(low)
            return tags[0] if tags else "?"
        return "#" if token[0].isdigit() else token if token in ",.;:!?()'\"-" else "·"

    def tag_in_context(self, tags: tuple[str, ...], prev: str, nxt: str) -> str:
        """Of a word's tags, the one its neighbours make likeliest ("flows" after "Danube" is a verb)."""
        if len(tags) < 2:
            return tags[0] if tags else ""
        a = self.classes.get(self.word_class(prev) if prev else "<s>", self.classes["·"])
        b = self.classes.get(self.word_class(nxt) if nxt else "</s>", self.classes["·"])
        fit = [self.bigrams[a, self.classes[t]] + self.bigrams[self.classes[t], b] for t in tags if t in self.classes]
        if len(fit) < len(tags):
            return tags[0]
        return tags[int(np.argmax(fit))]

    def tag_at(self, words: list[str], i: int) -> str:
        """The tag of words[i] (lowercase) that its neighbours in `words` make likeliest; "" if unknown."""
        before, after = words[i - 1] if i else "", words[i + 1] if i + 1 < len(words) else ""
        return self.tag_in_context(self.tags_of(words[i]), before, after)

    def _class_ids(self, tokens: list[str]) -> np.ndarray:
        """The rows of `bigrams` for the sentence's classes, between its start and end."""
        return np.array(
            [self.classes.get(c, self.classes["·"]) for c in ["<s>", *map(self.word_class, tokens), "</s>"]]
        )

    def insertion_fit(self, tokens: list[str], words: list[str]) -> np.ndarray:
        """(len(words), len(tokens) + 1): per word and place i (before tokens[i]; len(tokens): at the
        end), how much more likely the class bigrams make the sentence with the word put in there:
        log P(word | before) + log P(after | word) - log P(after | before)."""
        ids, c = self._class_ids(tokens), self._class_ids(words)[1:-1, None]
        before, after = ids[:-1], ids[1:]
        return self.bigrams[before, c] + self.bigrams[c, after] - self.bigrams[before, after]

    def grammar(self, tokens: list[str]) -> float:
        """Mean log-probability of the sentence's class bigrams: low for word orders the corpus never shows."""
        ids = self._class_ids(tokens)
        return float(self.bigrams[ids[:-1], ids[1:]].mean())


def _product(rows: np.ndarray, directions: np.ndarray) -> np.ndarray:
    """rows @ directions in torch, on its threads: numpy's BLAS keeps to one (refract.codec.load_codec),
    and the lexicon's product ran in 12 ms there, 3 ms here."""
    directions = torch.from_numpy(np.ascontiguousarray(directions, dtype=np.float32))
    return (torch.from_numpy(rows) @ directions).numpy()


def quantized(vectors: np.ndarray) -> dict[str, np.ndarray]:
    """Rows as int8 and a scale per row, as the lexicon's vectors and states are stored: half the
    size of fp16, and a unit row's direction moves by about 1e-4 in cosine."""
    scale = np.abs(vectors).max(axis=1, keepdims=True) / 127
    return {"vectors": np.round(vectors / scale).astype(np.int8), "scale": scale.astype(np.float32)}


def unquantized(stored: dict[str, np.ndarray]) -> np.ndarray:
    """The unit rows `quantized` stored."""
    return unit(dequantized(stored))


def dequantized(stored: dict[str, np.ndarray]) -> np.ndarray:
    """The rows `quantized` stored, at their own lengths."""
    return stored["vectors"].astype(np.float32) * stored["scale"]


@lru_cache(maxsize=4)
def load_lexicon(codec: Codec) -> Lexicon:
    """The lexicon for this codec's embedding space, or a CodecError when there is none for it."""
    meta, tensors = (WEIGHTS / f for f in LEXICON_FILES)
    if not meta.is_file() or not tensors.is_file():
        raise CodecError("the word lexicon is missing; run training/build_lexicon.py")
    info = json.loads(meta.read_text())
    if info["space"] != codec.space:
        raise CodecError(f"the word lexicon was built for space {info['space']}, not {codec.space}")
    stored = load_file(str(tensors))
    if "states_vectors" not in stored:
        raise CodecError("the word lexicon has no word states; run training/build_lexicon.py --states")
    grammar = info["grammar"]
    return Lexicon(
        info["words"],
        [tuple(t) for t in info["tags"]],
        unquantized(stored),
        frozenset(info["function_words"]),
        {c: i for i, c in enumerate(grammar["classes"])},
        np.asarray(grammar["logp"], dtype=np.float32),
        tuple(map(tuple, info["relatives"])),
        frozenset(info["common"]),
        info["names"],
        tuple(map(tuple, info["inflections"])),
        tuple(info["function_rows"]),
        unquantized({k: stored[f"function_{k}"] for k in ("vectors", "scale")}),
        dequantized({k: stored[f"states_{k}"] for k in ("vectors", "scale")}),
        info["state_norm"],
    )
