"""Rebuild the example style patches in this folder from the example texts in sources/.

    python patches/make_examples.py

Each patch records where its example texts sit on the style axes and their most consistent
labelled features (refract.patches.make_patch). `formal` also carries an offset vector: the
mean change from the casual to the formal side of the shipped formality example pairs, so it
exercises the safetensors half of the format.
"""

from __future__ import annotations

from pathlib import Path

from refract.codec import load_codec
from refract.patches import make_patch, offset_from_pairs, write_patch
from refract.space import load_pairs

HERE = Path(__file__).parent
PATCHES = {
    "terse": "Short, clipped sentences: drops qualifiers and asides.",
    "warm": "Friendly and positive: gratitude, good news, first person.",
    "formal": "Formal register of official letters: impersonal, polite, complete sentences.",
}


def main() -> None:
    codec = load_codec("embedded")
    for name, description in PATCHES.items():
        texts = [t for t in (HERE / "sources" / f"{name}.txt").read_text().splitlines() if t.strip()]
        file, vectors = make_patch(codec, texts, name, description)
        if name == "formal":
            _, casual, formal = load_pairs("formality")
            vectors = {"casual_to_formal": 0.5 * offset_from_pairs(codec, casual, formal)}
        print("wrote", write_patch(HERE / f"{name}.json", file, vectors))


if __name__ == "__main__":
    main()
