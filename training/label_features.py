"""Label each sparse-autoencoder feature from the corpus sentences that activate it most.

Run train_sae.py first (and, before it, build_corpus.py and prepare_codec_data.py, which write
data/corpus/train.txt and z_clean.npy). Every corpus sentence is encoded by the shipped SAE; for
each feature its TOP_N most activating sentences are compared with the whole corpus:

  word score  = c * log(p_top / p_corpus), c = top sentences containing the word (at least MIN_HITS),
                p_top = c / TOP_N, p_corpus = the word's share of corpus sentences (lowercase words,
                stopwords and words under 3 letters dropped, plurals folded into singulars)
  label       = the best word, joined by " / " with up to two more scoring at least half as well
  confidence  = excess coverage * specificity, in [0, 1]:
                excess coverage = (share of top sentences holding a label word - that share in the
                corpus) / (1 - that share in the corpus): 1 when every top sentence names the label
                and few others do, 0 when the top sentences name it no more often than any sentence;
                specificity = max(0, 1 - frequency / 0.25), frequency = share of corpus sentences
                the feature is active on, so a feature that fires on everything says little.

Writes features.json beside the weights (server/refract/space/weights/ by default). Deterministic: no sampling.

    python training/label_features.py
    python training/label_features.py --weights runs/sae   # a candidate folder made by train_sae.py --out
"""

from __future__ import annotations

import argparse
import json
import math
import re
import time
from collections import Counter
from pathlib import Path

import numpy as np
from prepare_codec_data import CORPUS, vector_file

from refract.space.features import MIN_CONFIDENCE, WEIGHTS, FeatureSet, sae_digest

TOP_N = 40  # sentences a label is made from
N_EXAMPLES = 5  # of those, kept as examples
MIN_HITS = 3  # a label word must appear in at least this many top sentences
FREQUENT = 0.25  # a feature active on this share of the corpus gets confidence 0
WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
STOPWORDS = frozenset(
    """a about above after again against all almost also although always am among an and another any anyone
    anything are aren't around as at away be because been before being below between both but by can can't
    cannot could couldn't did didn't do does doesn't doing don't done down during each either else enough even
    ever every few for from further get gets getting got had hadn't has hasn't have haven't having he he'd he'll
    he's her here here's hers herself him himself his how how's however i i'd i'll i'm i've if in into is isn't
    it it's its itself just least less let let's like made make many may me might more most much must mustn't
    my myself neither never no nor not now of off often on once one only or other others otherwise ought our
    ours ourselves out over own per perhaps put quite rather really said same say says see seem seems shall
    shan't she she'd she'll she's should shouldn't since so some something still such than that that's the
    their theirs them themselves then there there's therefore these they they'd they'll they're they've thing
    things this those though through thus till to too toward towards under until up upon us use used using
    very was wasn't way we we'd we'll we're we've well were weren't what what's when when's where where's
    whether which while who who's whom whose why why's will with within without won't would wouldn't yes yet
    you you'd you'll you're you've your yours yourself yourselves""".split()
)


def sentence_words(lines: list[str]) -> list[set[str]]:
    """Each line's set of content words, plurals folded into a singular the corpus also uses."""
    raw = [{w for w in WORD.findall(line.lower()) if len(w) >= 3 and w not in STOPWORDS} for line in lines]
    vocab = set().union(*raw)

    def fold(w: str) -> str:
        if w.endswith("ies") and w[:-3] + "y" in vocab:
            return w[:-3] + "y"
        if w.endswith("s") and not w.endswith("ss") and w[:-1] in vocab:
            return w[:-1]
        return w

    return [{fold(w) for w in words} for words in raw]


def top_sentences(features: FeatureSet, z: np.ndarray, batch: int = 4096) -> tuple[list[np.ndarray], np.ndarray]:
    """Per feature, the TOP_N rows of z it activates most (strongest first), and its activation per row count."""
    rows, feats, vals = [], [], []
    for start in range(0, len(z), batch):
        acts = features.activations(z[start : start + batch])
        r, f = np.nonzero(acts)
        rows.append(r + start)
        feats.append(f)
        vals.append(acts[r, f])
    rows, feats, vals = np.concatenate(rows), np.concatenate(feats), np.concatenate(vals)
    order = np.lexsort((-vals, feats))  # by feature, strongest first within each
    rows, feats, vals = rows[order], feats[order], vals[order]
    starts = np.searchsorted(feats, np.arange(len(features.features) + 1))
    tops = [rows[starts[i] : min(starts[i + 1], starts[i] + TOP_N)] for i in range(len(features.features))]
    stats = np.stack([np.diff(starts), np.bincount(feats, weights=vals, minlength=len(features.features))], axis=1)
    return tops, stats  # stats: (F, 2) active count, activation sum


def label_words(top: list[set[str]], doc_freq: Counter[str], n_docs: int) -> list[str]:
    """Up to three words that set the top sentences apart from the corpus, best first."""
    hits = Counter(w for words in top for w in words)
    scores = {w: c * math.log((c / len(top)) / (doc_freq[w] / n_docs)) for w, c in hits.items() if c >= MIN_HITS}
    ranked = sorted(scores, key=lambda w: (-scores[w], w))
    if not ranked or scores[ranked[0]] <= 0:
        return []
    return [w for w in ranked[:3] if scores[w] >= 0.5 * scores[ranked[0]]]


def confidence(
    words: list[str], top: list[set[str]], postings: dict[str, set[int]], n_docs: int, frequency: float
) -> float:
    """Excess coverage of the label words in the top sentences, times specificity (see the module doc)."""
    if not words:
        return 0.0
    label = set(words)
    covered = sum(bool(label & s) for s in top) / len(top)
    base = len(set().union(*(postings[w] for w in words))) / n_docs
    excess = max(0.0, (covered - base) / (1 - base))
    return round(excess * max(0.0, 1 - frequency / FREQUENT), 3)


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--weights", type=Path, default=WEIGHTS, help="folder with sae.safetensors and sae.json")
    args = p.parse_args()
    start = time.time()
    lines = (CORPUS / "train.txt").read_text().splitlines()
    z = np.load(vector_file(CORPUS / "train.txt", "z_clean")).astype(np.float32)
    features = FeatureSet.from_weights(args.weights, labelled=False)
    tops, stats = top_sentences(features, z)
    corpus = sentence_words(lines)
    postings: dict[str, set[int]] = {}
    for i, words in enumerate(corpus):
        for w in words:
            postings.setdefault(w, set()).add(i)
    doc_freq = Counter({w: len(rows) for w, rows in postings.items()})
    print(f"activations and word counts: {time.time() - start:.0f}s", flush=True)

    records = []
    for fid, top in enumerate(tops):
        count, total = stats[fid]
        frequency = float(count / len(lines))
        top_words = [corpus[i] for i in top]
        words = label_words(top_words, doc_freq, len(lines)) if len(top) >= MIN_HITS else []
        peak = float(np.mean(features.activations(z[top])[:, fid])) if len(top) else 1.0
        records.append(
            {
                "id": fid,
                "label": " / ".join(words) or f"feature {fid}",
                "confidence": confidence(words, top_words, postings, len(lines), frequency)
                if len(top) >= MIN_HITS
                else 0.0,
                "frequency": round(frequency, 5),
                "mean_activation": round(float(total / count), 4) if count else 0.0,
                "peak": round(peak, 4),
                "examples": [lines[i] for i in top[:N_EXAMPLES]],
            }
        )
    # Labels name features, so repeats get a number: the more confident feature keeps the bare label.
    seen: Counter[str] = Counter()
    for record in sorted(records, key=lambda r: (-r["confidence"], r["id"])):
        seen[record["label"]] += 1
        if seen[record["label"]] > 1:
            record["label"] = f"{record['label']} ({seen[record['label']]})"
    meta = {"sae": sae_digest(args.weights), "space": features.space, "top_n": TOP_N, "features": records}
    (args.weights / "features.json").write_text(json.dumps(meta, indent=1) + "\n")
    shown = sum(r["confidence"] >= MIN_CONFIDENCE for r in records)
    print(f"{len(records)} labelled, {shown} at confidence >= {MIN_CONFIDENCE}, {time.time() - start:.0f}s", flush=True)


if __name__ == "__main__":
    main()
