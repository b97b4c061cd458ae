import numpy as np
import pytest
import torch

from refract.codec import load_codec
from refract.codec.sampling import pick, repeated_ngram_tokens
from refract.errors import ConfigError

SENTENCES = [
    "The library opens at nine and closes at six on weekdays.",
    "I loved the soup, but the bread was stale.",
]
SIX = [
    *SENTENCES,
    "The striker scored twice in the second half.",
    "Please send me the invoice before the end of the month.",
    "Heavy snow closed the mountain pass for three days.",
    "The function returns an empty list when the file is missing.",
]


def test_encode_gives_unit_norm_rows(codec):
    z = codec.encode(SENTENCES)
    assert z.shape == (2, codec.dim) and z.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(z, axis=1), 1.0, atol=1e-5)


def test_decode_gives_n_texts_per_vector_and_is_seeded(codec):
    z = codec.encode(SENTENCES)
    first = codec.decode(z, n=3, temperature=0.8, seed=7)
    assert [len(row) for row in first] == [3, 3]
    assert all(isinstance(t, str) and t for row in first for t in row)
    assert codec.decode(z, n=3, temperature=0.8, seed=7) == first
    assert [row[0] for row in first] == [row[0] for row in codec.decode(z)]  # the first is the greedy text
    assert codec.decode(z, n=2) == [[t, t] for [t] in codec.decode(z)]  # temperature 0: n copies


def test_pick_is_greedy_at_temperature_zero_and_samples_within_the_nucleus():
    logits = torch.tensor([[0.0, 5.0, 4.9, -9.0]] * 4)
    generator = torch.Generator().manual_seed(0)
    drawn = [pick(logits, torch.tensor([0.0, 1.0, 1.0, 1.0]), 0.9, generator).tolist() for _ in range(50)]
    assert all(row[0] == 1 for row in drawn)  # the greedy row never samples
    sampled = {t for row in drawn for t in row[1:]}
    assert sampled == {1, 2}  # both likely tokens come up; the unlikely ones are outside top-p 0.9


def test_repeated_ngrams_and_immediate_repeats_are_banned():
    assert repeated_ngram_tokens([[5, 6, 7, 5, 6]], 3) == [[7, 6]]
    assert repeated_ngram_tokens([[4]], 3) == [[4]]


def test_greedy_decode_carries_what_is_specific_to_each_sentence(codec):
    z = codec.encode(SIX)
    decoded = codec.encode([row[0] for row in codec.decode(z)])
    cos = decoded @ z.T  # row i: decode of sentence i against every source
    matched = np.diag(cos).mean()
    unrelated = cos[~np.eye(len(SIX), dtype=bool)].mean()
    assert matched > unrelated + 0.25, (matched, unrelated)


def test_load_codec_is_cached_and_fingerprinted(codec):
    assert load_codec("embedded") is codec
    assert codec.fingerprint.startswith("embedded-") and len(codec.fingerprint) > 20
    assert codec.dim == 384


def test_load_codec_keeps_numpy_blas_on_one_thread():
    # Spinning BLAS workers took the 2 cores from torch between numpy's products (refract.codec.load_codec).
    from threadpoolctl import threadpool_info

    load_codec("embedded")
    blas = [pool for pool in threadpool_info() if pool["user_api"] == "blas"]
    assert blas and all(pool["num_threads"] == 1 for pool in blas)


def test_unknown_codec_is_a_clear_error():
    with pytest.raises(ConfigError, match="unknown codec 'nope'"):
        load_codec("nope")


def test_bf16_encoding_stays_beside_float32():
    # The encoder multiplies in bf16 where the CPU has it; lexicon, features and patches were
    # made in float32, so the two must agree far closer than a one-word edit moves a sentence.
    from refract.codec.encoder import SentenceEncoder, minilm_path

    texts = [*SENTENCES, "I loved the soup, but the bread was fresh."]
    fp32, bf16 = (SentenceEncoder(minilm_path(), bf16=b).encode(texts) for b in (False, True))
    gap = float((fp32 - bf16).norm(dim=-1).max())
    one_word = float((fp32[1] - fp32[2]).norm())
    assert gap < 0.1 * one_word, (gap, one_word)


def _encoder_adapter(rank: int, scale: float) -> bytes:
    """A LoRA adapter for MiniLM as training writes one, its B matrices drawn at `scale` (0: no update)."""
    from safetensors.torch import save

    from refract.codec.encoder import SentenceEncoder, encoder_projections, minilm_path
    from refract.codec.lora import add_lora

    model = SentenceEncoder(minilm_path(), bf16=False).model
    add_lora(encoder_projections(model), rank)
    generator = torch.Generator().manual_seed(0)
    return save(
        {
            name: scale * torch.randn(t.shape, generator=generator) if name.endswith(".b") else t
            for name, t in model.state_dict().items()
            if name.endswith((".a", ".b"))
        }
    )


def test_an_encoder_adapter_is_folded_into_minilm():
    from refract.codec.encoder import SentenceEncoder, minilm_path

    plain = SentenceEncoder(minilm_path(), bf16=False)
    still, moved = (SentenceEncoder(minilm_path(), bf16=False, adapter=_encoder_adapter(4, s)) for s in (0.0, 0.02))
    base = plain.encode(SENTENCES)
    assert torch.allclose(still.encode(SENTENCES), base, atol=1e-5)  # B = 0: the same map
    cosine = (moved.encode(SENTENCES) * base).sum(-1)
    assert bool((cosine < 0.9999).all()) and bool((cosine > 0.5).all()), cosine
    assert plain.adapter_hash == "" and len(moved.adapter_hash) == 16 and moved.adapter_hash != still.adapter_hash


def test_an_encoder_adapter_that_does_not_fit_is_a_clear_error():
    from safetensors.torch import save

    from refract.codec.encoder import SentenceEncoder, minilm_path
    from refract.errors import CodecError

    bad = {"encoder.layer.0.attention.self.query.a": torch.zeros(4, 7), "encoder.layer.0.evil.b": torch.zeros(2)}
    for adapter in (save(bad), b"not a safetensors file"):
        with pytest.raises(CodecError, match="encoder adapter"):
            SentenceEncoder(minilm_path(), bf16=False, adapter=adapter)


def test_the_embedded_encoder_adapter_reads_sentences_a_little_differently_in_minilm_space(tmp_path, codec):
    import shutil

    from refract.codec.embedded import WEIGHTS_DIR, EmbeddedCodec
    from refract.codec.encoder import SentenceEncoder, minilm_path

    plain = SentenceEncoder(minilm_path(), bf16=codec.encoder.bf16).encode(SENTENCES).numpy()
    cosine = (codec.encode(SENTENCES) * plain).sum(-1)
    assert bool((cosine > 0.95).all()) and bool((cosine < 0.9999).all()), cosine  # tethered, not frozen
    without = tmp_path / "weights"
    shutil.copytree(WEIGHTS_DIR, without, ignore=shutil.ignore_patterns("smol", "encoder.safetensors"))
    bare = EmbeddedCodec(without)  # without its adapter the codec encodes with MiniLM as it is
    assert np.allclose(bare.encode(SENTENCES), plain, atol=1e-5) and bare.fingerprint != codec.fingerprint


def test_the_nucleus_is_found_beyond_the_first_tokens_sorted_when_they_hold_too_little():
    logits = torch.zeros(2, 2048)  # flat: the likeliest NUCLEUS_SEARCH tokens hold an eighth of the mass
    generator = torch.Generator().manual_seed(0)
    drawn = {t for _ in range(40) for t in pick(logits, torch.tensor([1.0, 1.0]), 0.9, generator).tolist()}
    assert len(drawn) > 60 and max(drawn) > 1024


def test_sampling_with_cached_keys_matches_running_the_whole_sequence_each_step(tiny_decoder):
    from refract.codec.model import BOS, EOS
    from refract.codec.sampling import next_tokens

    model = tiny_decoder
    z = torch.nn.functional.normalize(torch.randn(3, 8), dim=-1)
    cached = model.sample(z, BOS, EOS, 12, torch.zeros(3), 0.9, torch.Generator())
    tokens = torch.full((3, 1), BOS)
    for _ in range(12):  # greedy, recomputing every position
        nxt = next_tokens(model(z, tokens)[:, -1], tokens.tolist(), torch.zeros(3), 0.9, torch.Generator(), 3)
        tokens = torch.cat([tokens, nxt[:, None]], dim=1)
    for row, full in zip(cached, tokens[:, 1:].tolist(), strict=True):
        assert row == (full[: full.index(EOS)] if EOS in full else full)


def test_prompts_are_written_as_given_then_continued_as_the_decoder_would(tiny_decoder):
    """Rows with prompts of different lengths share a batch; a row's continuation is what the decoder
    writes after its prompt, as if it had sampled the prompt itself."""
    from refract.codec.model import BOS, EOS

    model = tiny_decoder
    z = torch.nn.functional.normalize(torch.randn(1, 8), dim=-1).repeat(3, 1)
    free = model.sample(z[:1], BOS, EOS, 12, torch.zeros(1), 0.9, torch.Generator())[0]
    prompts = [free[:1], free[:3], [7, 9]]
    rows = model.sample(z, BOS, EOS, 12, torch.zeros(3), 0.9, torch.Generator(), prompts=prompts)
    assert rows[0] == free and rows[1] == free  # greedy: its own start continues as before
    assert rows[2][:2] == [7, 9] and len(rows[2]) > 2


def test_beams_beside_sampling_are_the_likeliest_readings_and_leave_the_samples_alone(tiny_decoder):
    from refract.codec.model import BOS, EOS
    from refract.codec.sampling import Beams

    model, width = tiny_decoder, 3
    z = torch.nn.functional.normalize(torch.randn(2, 8), dim=-1)
    rows, temperatures = z.repeat_interleave(2, dim=0), torch.tensor([0.0, 0.9, 0.0, 0.9])
    alone = model.sample(rows, BOS, EOS, 12, temperatures, 0.9, torch.Generator().manual_seed(1))
    both = model.sample(rows, BOS, EOS, 12, temperatures, 0.9, torch.Generator().manual_seed(1), beams=Beams(z, width))
    assert both[:4] == alone and len(both) == 4 + 2 * width
    for g in range(2):
        readings = both[4 + g * width : 4 + (g + 1) * width]
        assert len({tuple(r) for r in readings}) == width
        scores = []
        for r in readings:  # log-probability per token, EOS counted where the reading ended before the limit
            ended = len(r) < 12
            tokens = torch.tensor([[BOS, *r]])
            with torch.no_grad():
                logp = torch.log_softmax(model(z[g : g + 1], tokens)[0].float(), dim=-1)
            written = [*r, EOS] if ended else r
            scores.append(sum(float(logp[i, t]) for i, t in enumerate(written)) / (len(r) + 1))
        assert scores == sorted(scores, reverse=True), scores


def test_decode_adds_beam_search_readings_after_the_sampled_texts(codec):
    z = codec.encode(SENTENCES)
    sampled = codec.decode(z, n=3, temperature=0.8, seed=7)
    with_beams = codec.decode(z, n=3, temperature=0.8, seed=7, beams=2)
    # The sampled texts come first; in bf16 a larger batch may round a near-tie otherwise, so only
    # the tiny float32 decoder above checks them token for token.
    assert [len(row) for row in with_beams] == [5, 5] and [len(row) for row in sampled] == [3, 3]
    assert all(t for row in with_beams for t in row)


def test_complete_continues_each_start_from_the_vector(codec):
    z = codec.encode(SENTENCES[:1])[0]
    starts = ["The", " ".join(SENTENCES[0].split()[:4])]
    texts = codec.complete(z, starts)
    assert len(texts) == 2 and all(t.startswith(s) and len(t) > len(s) + 3 for t, s in zip(texts, starts, strict=True))
    assert codec.complete(z, []) == []


def test_the_shipped_decoder_has_no_corrector_yet_and_refuses_to_refine(codec):
    from refract.errors import CodecError

    assert not codec.refines and codec.refine_rounds == 0
    with pytest.raises(CodecError, match="no corrector"):
        codec.refine(codec.encode(SENTENCES[:1])[0], SENTENCES[0])


def test_a_corrector_beside_the_decoder_is_loaded_and_starts_as_the_decoder(tmp_path, codec):
    """train_corrector.py's output, untrained: loaded with the decoder, it refines, names itself in
    the fingerprint, and with its gates at zero rewrites any draft into the decoder's own text."""
    import shutil
    import sys
    from pathlib import Path

    from safetensors.torch import save_file

    from refract.codec.embedded import CORRECTOR_FILE, WEIGHTS_DIR, EmbeddedCodec

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "training"))
    from train_codec import fp16
    from train_corrector import corrector_from

    corrector, new = corrector_from(codec.decoder)
    weights = tmp_path / "weights"
    shutil.copytree(WEIGHTS_DIR, weights, ignore=shutil.ignore_patterns("smol"))
    save_file(fp16({n: t for n, t in corrector.state_dict().items() if n in new}), weights / CORRECTOR_FILE)
    with_corrector = EmbeddedCodec(weights)
    assert with_corrector.refines and with_corrector.refine_rounds == 2
    assert with_corrector.fingerprint != codec.fingerprint
    z = codec.encode(SENTENCES[:2])
    for row, draft in zip(z, ["Nothing like it at all.", SENTENCES[1]], strict=True):
        assert with_corrector.refine(row, draft, n=1)[0] == codec.decode(row[None], n=1)[0][0]
    assert with_corrector.refine(z[0], "A draft.", n=3, temperature=0.8, seed=4) == with_corrector.refine(
        z[0], "A draft.", n=3, temperature=0.8, seed=4
    )


def test_packed_linears_give_what_autocast_gives():
    from refract.codec.packed import PackedLinear, pack_linears

    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(64, 32), torch.nn.GELU(), torch.nn.Linear(32, 8))
    x = torch.randn(5, 7, 64)
    with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16):
        expected = model(x).float()
    state = {k: v.clone() for k, v in model.state_dict().items()}
    if not pack_linears(model):
        pytest.skip("this torch has no oneDNN kernels for packed bf16 weights")
    assert [type(m) for m in model.modules()][1:] == [PackedLinear, torch.nn.GELU, PackedLinear]
    assert model.state_dict().keys() == state.keys()  # the parameters stay: state_dict reads the same
    assert all(torch.equal(model.state_dict()[k], v) for k, v in state.items())
    with torch.inference_mode():
        packed = model(x).float()
    torch.testing.assert_close(packed, expected, atol=0.02, rtol=0.02)
