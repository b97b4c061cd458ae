"""Build the word lexicon that source-anchored decoding draws its word edits from.

Words: lowercase tokens of the decoder's corpus (data/corpus/train.txt, extra.txt and
synthetic.txt; build_corpus.py, synthesize_corpus.py) seen at least MIN_COUNT times, and the
words revise inserts (refract.slots), that WordNet (Debian
`wordnet-base`, /usr/share/wordnet) knows as a noun, verb, adjective or adverb, directly or as
an inflection, minus function words (FUNCTION_WORDS), which are grammar rather than meaning.
Each word gets its part-of-speech tags with the inflection it shows ("n", "n.pl", "v", "v.s",
"v.ed", "v.ing", "a", "a.er", "a.est", "r"), found with WordNet's exception lists and its
detachment rules (as in WordNet's `morphy`), and its vector in MiniLM's space: its vector alone
mixed with the mean of its states in corpus sentences (in_context). A word can swap only for a
WordNet relative (relatives()) where their tags meet: a synonym, an antonym, or an adjective of
the same or the opposite cluster, so "loved" may become
"hated" but not "hate", and "cheese" never becomes "elegance".

Function words get vectors the same way, kept apart from the lexicon's words (the decoding search
swaps and inserts them; source-anchored edits do not).

Every word, function words too, also gets its states: the sum of its tokens' last-layer states in
the embedded codec's encoder, alone and in corpus sentences (word_states), from which the decoding
search estimates what putting the word in or taking it out does to a sentence's vector
(refract.correct.Estimate).

Writes server/refract/space/weights/lexicon.json (space, words, tags, counts, relatives, common
words, names, inflections, function words, grammar, state_norm) and lexicon.safetensors (vectors,
function_vectors and states, int8 with a scale per row: refract.space.lexicon.quantized).
Deterministic; 13 minutes on 2 CPU cores for the vectors, nearly all of it MiniLM reading the
words in context, and up to 24 more for the states.

    python training/build_lexicon.py
    python training/build_lexicon.py --update   # names, inflections, function words: on the lexicon as built
    python training/build_lexicon.py --states   # the words' states: on the lexicon as built
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import torch
from prepare_codec_data import CORPUS as DATA
from prepare_codec_data import CORPUS_FILES
from safetensors.numpy import load_file, save_file

from refract.codec.embedded import WEIGHTS_DIR as EMBEDDED_WEIGHTS
from refract.codec.encoder import MiniLMCodec, SentenceEncoder
from refract.operations import unit
from refract.revise import tokens_of
from refract.slots import SLOT_WORDS
from refract.space.lexicon import LEXICON_FILES, Lexicon, quantized

ROOT = Path(__file__).resolve().parents[1]
WORDNET = Path("/usr/share/wordnet")
CORPUS = DATA / "train.txt"  # the grammar's text
COUNTED = [DATA / name for name in CORPUS_FILES]  # the words' text: all the decoder's
# Twice is enough: WordNet filters out typos and names, and the decoding search can only put in
# words the lexicon holds (9,080 words from train.txt seen 5 times held 82% of the dev set's
# content words, chrF 41.4; these 30,948 hold 96%, chrF 44.5; docs/codec-journal.md).
MIN_COUNT = 2
# A word's vector mixes MiniLM's vector of the word alone with the mean of its tokens' last-layer
# states in corpus sentences, read from at least CONTEXTS sentences per word where the corpus has
# them. In a sentence the word pulls the mean-pooled vector its contextual way, so the decoding
# search proposes better words: roundtrip chrF 44.5 / 44.9 -> 45.6 / 46.2 (seeds 0 / 1); weight 0.7
# gave 46.4 / 45.4 and 1.0 45.7 on seed 0, so half keeps the most of the word's own meaning (docs/codec-journal.md).
CONTEXTS = 8
CONTEXT_WEIGHT = 0.5
# A word's relatives come from its commonest senses only: "late" is "belated", not "deceased"; a
# noun's from its first ("copper" the metal, not the police officer: "Copper is a conductor").
SENSES = {"n": 1, "v": 2, "a": 3, "r": 2}
POS = {"noun": "n", "verb": "v", "adj": "a", "adv": "r"}
# WordNet's detachment rules: (inflected ending, base ending, tag).
RULES = [
    ("s", "", "n.pl"), ("ses", "s", "n.pl"), ("xes", "x", "n.pl"), ("zes", "z", "n.pl"), ("ches", "ch", "n.pl"),
    ("shes", "sh", "n.pl"), ("men", "man", "n.pl"), ("ies", "y", "n.pl"),
    ("s", "", "v.s"), ("ies", "y", "v.s"), ("es", "e", "v.s"), ("es", "", "v.s"),
    ("ed", "e", "v.ed"), ("ed", "", "v.ed"), ("ied", "y", "v.ed"),
    ("ing", "e", "v.ing"), ("ing", "", "v.ing"),
    ("er", "", "a.er"), ("est", "", "a.est"), ("er", "e", "a.er"), ("est", "e", "a.est"),
    ("ier", "y", "a.er"), ("iest", "y", "a.est"),
]  # fmt: skip
FUNCTION_WORDS = set(
    """a an the and or but nor of to in on at by for with from as into onto upon about above below over under
    after before since until while during through across against among between without within is are was were be
    been being am have has had having do does did done doing will would shall should can could may might must
    i me my mine you your yours he him his she her hers it its we us our ours they them their theirs this that
    these those who whom whose which what where when why how there here then than so if else not no yes
    one ones some any each every all both either neither other another such same own s t ll ve re d m
    let lets get got go went gone say said also just only even still yet too despite thanks although though
    because unless whether however therefore thus hence instead rather quite per via""".split()
)
PIECES = {"s", "t", "ll", "ve", "re", "d", "m"}  # of contractions ("it's", "we'll"): never put in alone


def wordnet() -> tuple[dict[str, dict[str, int]], dict[str, list[tuple[str, str]]]]:
    """(lemma -> {POS letter: senses tagged in WordNet's concordance}, inflected form -> [(base, POS letter)])."""
    lemmas: dict[str, dict[str, int]] = {}
    exceptions: dict[str, list[tuple[str, str]]] = {}
    for name, letter in POS.items():
        for line in (WORDNET / f"index.{name}").read_text(errors="replace").splitlines():
            if line and not line.startswith(" "):
                fields = line.split()
                lemmas.setdefault(fields[0], {})[letter] = int(fields[-int(fields[2]) - 1])  # tagsense_cnt
        for line in (WORDNET / f"{name}.exc").read_text(errors="replace").splitlines():
            form, *bases = line.split()
            exceptions.setdefault(form, []).extend((b, letter) for b in bases)
    return lemmas, exceptions


def tags_of(word: str, lemmas: dict[str, dict[str, int]], exceptions: dict[str, list[tuple[str, str]]]) -> list[str]:
    """The word's usual part-of-speech tags with inflection, most common first, e.g. ["n.pl", "v.s"] for "plans".

    A tag is kept when its lemma's sense is at least a quarter as common (in WordNet's tagged
    concordance) as the word's most common reading, so "good" is an adjective and not a noun.
    """
    uses: dict[str, int] = {tag: n for tag, n in lemmas.get(word, {}).items()}
    for ending, base, tag in RULES:
        stem = word[: -len(ending)] + base if word.endswith(ending) else ""
        if len(stem) >= 2 and tag[0] in lemmas.get(stem, {}):
            uses[tag] = max(uses.get(tag, 0), lemmas[stem][tag[0]])
    for base, letter in exceptions.get(word, []):
        if letter in lemmas.get(base, {}):
            tag = {"n": "n.pl", "v": _verb_form(word), "a": "a.er" if word.endswith("r") else "a.est", "r": "r"}[letter]
            uses[tag] = max(uses.get(tag, 0), lemmas[base][letter])
    top = max(uses.values(), default=0)
    return sorted((tag for tag, n in uses.items() if n + 1 >= (top + 1) / 4), key=lambda tag: (-uses[tag], tag))


def _verb_form(word: str) -> str:
    """The inflection of an irregular verb form from WordNet's verb.exc, which lists past forms
    ("made"), -ing forms with a doubled consonant ("getting", "running") and a few -s forms."""
    return "v.ing" if word.endswith("ing") else "v.s" if word.endswith("s") else "v.ed"


def synset_lines(name: str) -> Iterator[tuple[list[str], list[str]]]:
    """Each synset of WordNet's data.{name}: (its fields before the gloss, its words as written,
    without the "(a)"/"(p)" position markers)."""
    for line in (WORDNET / f"data.{name}").read_text(errors="replace").splitlines():
        if not line.startswith(" "):  # the licence header
            fields = line.split(" | ")[0].split()
            yield fields, [re.sub(r"\(.*\)$", "", w) for w in fields[4 : 4 + 2 * int(fields[3], 16) : 2]]


def relations() -> dict[tuple[str, str], set[str]]:
    """(lemma, POS letter) -> the lemmas WordNet relates to its commonest senses (SENSES), with the same
    part of speech: synonyms, antonyms and "also see" words, and for an adjective every word of its
    own and its antonym's cluster ("excellent" sits in the cluster of "good", whose antonym is "bad")."""
    related: dict[tuple[str, str], set[str]] = {}
    for name, letter in POS.items():
        synsets: dict[str, tuple[list[str], list[tuple[str, str, str]]]] = {}
        head: dict[str, str] = {}  # an adjective satellite's cluster head; other synsets head their own
        for fields, written in synset_lines(name):
            words = [w.lower() for w in written]
            at = 4 + 2 * len(words)
            pointers = [fields[at + 1 + 4 * j : at + 5 + 4 * j] for j in range(int(fields[at]))]
            same_pos = [(sym, target, st) for sym, target, pos, st in pointers if pos in (letter, "s")]
            synsets[fields[0]] = (words, same_pos)
            similar = [target for sym, target, _ in synsets[fields[0]][1] if sym == "&"]
            head[fields[0]] = similar[0] if fields[2] == "s" and similar else fields[0]
        clusters: dict[str, set[str]] = {}
        for offset, (words, _) in synsets.items():
            clusters.setdefault(head[offset], set()).update(words)
        near: dict[str, set[str]] = {}  # synset -> the words an edit may put in place of its words
        for offset, (words, pointers) in synsets.items():
            near[offset] = set(words) | (clusters[head[offset]] if letter == "a" else set())
            for sym, target, st in pointers:
                if sym == "^":
                    near[offset] |= set(synsets[target][0])
                elif sym == "!":
                    antonym = synsets[target][0][int(st[2:], 16) - 1]
                    near[offset] |= clusters[head[target]] if letter == "a" else {antonym}
        for line in (WORDNET / f"index.{name}").read_text(errors="replace").splitlines():
            if line and not line.startswith(" "):
                fields = line.split()
                senses = fields[-int(fields[2]) :][: SENSES[letter]]
                related[(fields[0], letter)] = set().union(*(near[o] for o in senses)) - {fields[0]}
    return related


def written_forms() -> tuple[set[str], dict[str, set[str]]]:
    """The word forms WordNet writes in lowercase, and those it writes with capitals, by their lowercase."""
    lower: set[str] = set()
    capital: dict[str, set[str]] = {}
    for name in POS:
        for _, words in synset_lines(name):
            for word in filter(str.isalpha, words):
                if word.islower():
                    lower.add(word)
                else:
                    capital.setdefault(word.lower(), set()).add(word)
    return lower, capital


def common_words() -> set[str]:
    """Words WordNet lists in lowercase and never capitalized: common words ("basalt"), not names."""
    lower, capital = written_forms()
    return lower - set(capital)


def names(words: list[str], exceptions: dict[str, list[tuple[str, str]]]) -> dict[str, str]:
    """Those of `words` that WordNet writes only with capitals, and in one way: "danube" ->
    "Danube". The search inserts lexicon words, and writes these as names."""
    lower, capital = written_forms()

    def name(word: str) -> bool:
        # "tigers" and "primates" are plurals of common words before they are teams or an order
        singular = {base for base, _ in exceptions.get(word, [])}  # "fungi", before the kingdom
        singular |= {word[:-3] + "y", word[:-2], word[:-1]} if word.endswith("s") else set()
        return len(word) > 2 and word not in lower and not singular & lower and len(capital.get(word, ())) == 1

    return {w: next(iter(capital[w])) for w in words if name(w)}


def bases(word: str, tag: str, exceptions: dict[str, list[tuple[str, str]]]) -> set[str]:
    """The lemmas `word` may be an inflection of under `tag` ("hated", "v.ed" -> {"hate", "hat"})."""
    if "." not in tag:
        return {word}
    out = {b for b, letter in exceptions.get(word, []) if letter == tag[0]}
    for ending, base, rule_tag in RULES:
        if rule_tag == tag and word.endswith(ending):
            out.add(word[: -len(ending)] + base)
    return out


def relatives(rows: list[tuple[str, list[str], int]], exceptions: dict[str, list[tuple[str, str]]]) -> list[list[int]]:
    """Per lexicon word, the rows of the lexicon words it may swap with: a WordNet relative (relations())
    in the same inflection."""
    related = relations()
    by_base: dict[tuple[str, str], set[int]] = {}
    for i, (word, tags, _) in enumerate(rows):
        for tag in tags:
            for base in bases(word, tag, exceptions):
                by_base.setdefault((base, tag), set()).add(i)
    out = []
    for i, (word, tags, _) in enumerate(rows):
        mine: set[int] = set()
        for tag in tags:
            for base in bases(word, tag, exceptions):
                for other in related.get((base, tag[0]), ()):
                    mine |= by_base.get((other, tag), set())
        out.append(sorted(mine - {i}))
    return out


def inflections(rows: list[tuple[str, list[str]]], exceptions: dict[str, list[tuple[str, str]]]) -> list[list[int]]:
    """Per lexicon word, the rows of its other forms: the lexicon words that share a base and a part of
    speech with it ("flows": "flow", "flowed", "flowing")."""
    lemmas = [{(base, tag[0]) for tag in tags for base in bases(word, tag, exceptions)} for word, tags in rows]
    by_lemma: dict[tuple[str, str], set[int]] = {}
    for i, mine in enumerate(lemmas):
        for lemma in mine:
            by_lemma.setdefault(lemma, set()).add(i)
    return [sorted(set().union(*(by_lemma[lemma] for lemma in mine)) - {i}) for i, mine in enumerate(lemmas)]


def grammar(lexicon: Lexicon, sentences: list[str]) -> tuple[list[str], np.ndarray]:
    """(classes, log P(next class | class)) from the corpus, add-0.1 smoothed: the grammar model
    that keeps word edits from producing orders like "I awful enjoyed"."""
    pairs: Counter[tuple[str, str]] = Counter()
    for sentence in sentences:
        seq = ["<s>", *map(lexicon.word_class, tokens_of(sentence)), "</s>"]
        pairs.update(zip(seq[:-1], seq[1:], strict=False))
    classes = sorted({c for pair in pairs for c in pair} | {"·"})
    at = {c: i for i, c in enumerate(classes)}
    counts = np.full((len(classes), len(classes)), 0.1)
    for (a, b), n in pairs.items():
        counts[at[a], at[b]] += n
    return classes, np.log(counts / counts.sum(axis=1, keepdims=True))


def corpus_words(line: str) -> list[str]:
    """A corpus line's words as the lexicon counts them: lowercase runs of letters."""
    return re.findall(r"[a-z]+", line.lower())


def context_sentences(words: set[str], lines: list[str], at_least: int) -> list[str]:
    """Corpus sentences, in corpus order, until each word has been seen in `at_least` of them
    (or in all that hold it): the fewest for MiniLM to read."""
    seen: Counter[str] = Counter()
    out = []
    for line in dict.fromkeys(lines):
        held = [w for w in corpus_words(line) if w in words]
        if any(seen[w] < at_least for w in held):
            out.append(line)
            seen.update(held)
    return out


@torch.inference_mode()
def occurrences(
    encoder: SentenceEncoder, words: list[str], sentences: list[str]
) -> Iterator[tuple[torch.Tensor, torch.Tensor, list[tuple[int, np.ndarray]]]]:
    """Batch by batch of `sentences`, MiniLM's attention mask and last-layer states, and for each
    occurrence of one of `words`: (the word's row, the states of its tokens)."""
    index = {w: i for i, w in enumerate(words)}
    sentences = sorted(sentences, key=len)  # batches of like length: less padding for MiniLM to read
    for start in range(0, len(sentences), 128):
        batch = sentences[start : start + 128]
        tokens = encoder.tokenize(batch)
        states = encoder.model(**tokens).last_hidden_state
        found = []
        for b, sentence in enumerate(batch):
            positions: dict[int, list[int]] = {}
            for j, w in enumerate(tokens.word_ids(b)):
                if w is not None:
                    positions.setdefault(w, []).append(j)
            for w, js in positions.items():
                chars = tokens.word_to_chars(b, w)
                i = index.get(sentence[chars.start : chars.end].lower())
                if i is not None:
                    found.append((i, states[b, js].numpy()))
        yield tokens["attention_mask"], states, found


def in_context(encoder: SentenceEncoder, words: list[str], sentences: list[str]) -> np.ndarray:
    """Per word, the unit mean of MiniLM's last-layer states of its tokens across `sentences`; a
    zero row for a word none of them holds."""
    sums = np.zeros((len(words), encoder.dim))
    for _, _, found in occurrences(encoder, words, sentences):
        for i, states in found:
            sums[i] += states.mean(axis=0)
    norms = np.linalg.norm(sums, axis=1, keepdims=True)
    return (sums / np.maximum(norms, 1e-12)).astype(np.float32)


def word_vectors(codec: MiniLMCodec, words: list[str], lines: list[str]) -> np.ndarray:
    """Per word, MiniLM's vector of the word alone mixed with its vector in corpus sentences (CONTEXT_WEIGHT)."""
    alone = np.concatenate([codec.encode(words[i : i + 256]) for i in range(0, len(words), 256)])
    context = in_context(codec.encoder, words, context_sentences(set(words), lines, CONTEXTS))
    found = context.any(axis=1, keepdims=True)  # in_context's rows are unit, or zero for words never read
    print(f"{int(found.sum())} of {len(words)} words read in context")
    return np.where(found, unit(CONTEXT_WEIGHT * context + (1 - CONTEXT_WEIGHT) * alone), alone)


def function_vectors(codec: MiniLMCodec, lines: list[str]) -> tuple[list[str], dict[str, np.ndarray]]:
    """(the function words that stand alone, their vectors as lexicon.safetensors stores them)."""
    rows = sorted(FUNCTION_WORDS - PIECES)
    return rows, {f"function_{k}": v for k, v in quantized(word_vectors(codec, rows, lines)).items()}


@torch.inference_mode()
def word_states(encoder: SentenceEncoder, words: list[str], sentences: list[str]) -> tuple[np.ndarray, float]:
    """Per word, the sum of MiniLM's last-layer states of its tokens, read alone (without [CLS] and
    [SEP]) and in `sentences` (the mean over its occurrences), half and half; and the median norm of
    a sentence's summed states, [CLS] and [SEP] included (Lexicon.states, state_norm)."""
    alone = np.zeros((len(words), encoder.dim), np.float32)
    for start in range(0, len(words), 256):
        tokens = encoder.tokenize(words[start : start + 256])
        mask = tokens["attention_mask"].clone()
        mask[:, 0] = 0
        mask[torch.arange(len(mask)), tokens["attention_mask"].sum(1) - 1] = 0
        states = encoder.model(**tokens).last_hidden_state
        alone[start : start + 256] = (states * mask.unsqueeze(-1)).sum(1).numpy()
    sums, seen, norms = np.zeros((len(words), encoder.dim)), np.zeros(len(words)), []
    for mask, states, found in occurrences(encoder, words, sentences):
        norms += (states * mask.unsqueeze(-1)).sum(1).norm(dim=1).tolist()
        for i, word in found:
            sums[i] += word.sum(axis=0)
            seen[i] += 1
    context = np.where(seen[:, None] > 0, sums / np.maximum(seen, 1)[:, None], alone)
    return (CONTEXT_WEIGHT * context + (1 - CONTEXT_WEIGHT) * alone).astype(np.float32), float(np.median(norms))


def save_states(words: list[str], lines: list[str], info: dict, stored: dict) -> None:
    """Add the states of `words` (the lexicon's words, then its function rows) to the lexicon's files'
    contents. They are read by the embedded codec's encoder, MiniLM with its adapter: the search
    compares them with that encoder's vectors, and states of MiniLM without it ranked the edits worse
    (roundtrip chrF 59.9 / 58.2 against 60.9 / 60.3 every round, seeds 0 / 1; docs/codec-journal.md).
    Other codecs of the space (smol) use them as they are."""
    encoder = MiniLMCodec(bf16=False, weights=EMBEDDED_WEIGHTS).encoder
    states, info["state_norm"] = word_states(encoder, words, context_sentences(set(words), lines, CONTEXTS))
    info["states_encoder"] = encoder.adapter_hash
    stored.update({f"states_{k}": v for k, v in quantized(states).items()})


def corpus_lines() -> list[str]:
    return [line for f in COUNTED for line in f.read_text().splitlines()]


def built(codec: MiniLMCodec) -> tuple[Path, Path, dict]:
    """The lexicon's files as built and its json's contents; exits where they were built for
    another encoder than `codec`'s."""
    meta, tensors = (ROOT / "server/refract/space/weights" / f for f in LEXICON_FILES)
    info = json.loads(meta.read_text())
    if info["space"] != codec.space:
        raise SystemExit("the lexicon was built for another encoder: rebuild it all")
    return meta, tensors, info


def update() -> None:
    """Recompute, on the lexicon as built, what needs no MiniLM pass over its words: the names, the
    inflections and the function words' vectors (19 s, against 13 minutes for a full build; needs the corpus)."""
    codec = MiniLMCodec(bf16=False)
    meta, tensors, info = built(codec)
    exceptions = wordnet()[1]
    info["names"] = names(info["words"], exceptions)
    info["inflections"] = inflections(list(zip(info["words"], info["tags"], strict=True)), exceptions)
    info["function_rows"], stored = function_vectors(codec, corpus_lines())
    save_file({**load_file(str(tensors)), **stored}, str(tensors))
    meta.write_text(json.dumps(info))
    print(f"{len(info['names'])} names, {len(info['function_rows'])} function words -> {meta}, {tensors}")


def states() -> None:
    """Recompute the words' states (Lexicon.states) on the lexicon as built: 24 minutes on 2 CPU
    cores, measured before the sentences were batched by length; needs the corpus."""
    meta, tensors, info = built(MiniLMCodec(bf16=False))
    stored = load_file(str(tensors))
    save_states(info["words"] + info["function_rows"], corpus_lines(), info, stored)
    save_file(stored, str(tensors))
    meta.write_text(json.dumps(info))
    rows = len(info["words"]) + len(info["function_rows"])
    print(f"states of {rows} words, state norm {info['state_norm']:.1f} -> {tensors}")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--update", action="store_true", help=update.__doc__.split(":")[0])
    p.add_argument("--states", action="store_true", help=states.__doc__.split(":")[0])
    args = p.parse_args()
    if args.update:
        return update()
    if args.states:
        return states()
    lines = corpus_lines()
    counts: Counter[str] = Counter()
    for line in lines:
        counts.update(corpus_words(line))
    lemmas, exceptions = wordnet()
    rows = []
    for word, n in counts.most_common():
        if n < MIN_COUNT:
            break
        if word in FUNCTION_WORDS or len(word) < 2:
            continue
        tags = tags_of(word, lemmas, exceptions)
        if tags:
            rows.append((word, tags, n))
    have = {w for w, _, _ in rows}
    inserted = set().union(*SLOT_WORDS.values()) - FUNCTION_WORDS  # "rather", "quite" stay grammar words
    for word in sorted(inserted - have):  # rarer in the corpus, but words revise inserts
        if tags := tags_of(word, lemmas, exceptions):
            rows.append((word, tags, counts[word]))
    # MiniLM's own vectors, in float32: the same on every CPU, and the space every MiniLM codec's
    # adapter is tethered to.
    codec = MiniLMCodec(bf16=False)
    words = [w for w, _, _ in rows]
    vectors = word_vectors(codec, words, lines)
    function_rows, function_stored = function_vectors(codec, lines)
    lexicon = Lexicon(words, [tuple(t) for _, t, _ in rows], vectors, frozenset(FUNCTION_WORDS), {}, np.zeros(0))
    classes, logp = grammar(lexicon, CORPUS.read_text().splitlines())
    meta, tensors = LEXICON_FILES
    out = ROOT / "server/refract/space/weights"
    info = {
        "space": codec.space,
        "words": words,
        "tags": [t for _, t, _ in rows],
        "counts": [n for _, _, n in rows],
        "relatives": relatives(rows, exceptions),
        "common": sorted(common_words() - set(words)),
        "names": names(words, exceptions),
        "inflections": inflections([(w, t) for w, t, _ in rows], exceptions),
        "function_words": sorted(FUNCTION_WORDS),
        "function_rows": function_rows,
        "grammar": {"classes": classes, "logp": np.round(logp, 3).tolist()},
        "source": f"corpus words seen >= {MIN_COUNT} times, tagged with WordNet 3.0 (training/build_lexicon.py)",
    }
    stored = {**quantized(vectors), **function_stored}
    save_states(words + function_rows, lines, info, stored)
    save_file(stored, str(out / tensors))
    (out / meta).write_text(json.dumps(info))
    print(f"{len(words)} words -> {out / meta}, {out / tensors}")


if __name__ == "__main__":
    main()
