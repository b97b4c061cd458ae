"""The Bottleneck T5 ("Contra") loader, on a tiny random checkpoint written here.

Real code throughout: the checkpoint folder holds what a converted real one holds (config.json,
model.safetensors, tokenizer.json), only with d_model 32 and a vocabulary of a dozen words.
"""

from __future__ import annotations

import json
import shutil
import threading
from pathlib import Path

import numpy as np
import pytest
import torch
from safetensors.torch import load_file, save_file
from tokenizers import Tokenizer, models, pre_tokenizers, processors
from transformers import T5Config

from refract.codec import load_codec
from refract.codec.contra import ContraCodec, ContraModel, export_state_dict
from refract.errors import CodecError, ConfigError

WORDS = ["<pad>", "</s>", "<unk>", "the", "cat", "sat", "on", "a", "mat", "dog", "ran", "home", "."]
CONFIG = {
    "architectures": ["BottleneckT5LMWithPerturb"],
    "auto_map": {"AutoModelForCausalLM": "bottleneck_t5.BottleneckT5LMWithPerturb"},  # must be ignored
    "model_type": "t5",
    "vocab_size": len(WORDS),
    "d_model": 32,
    "d_kv": 16,
    "num_heads": 2,
    "num_layers": 2,
    "num_decoder_layers": 2,
    "d_ff": 64,
    "feed_forward_proj": "gated-gelu",
    "relative_attention_num_buckets": 8,
    "relative_attention_max_distance": 16,
    "tie_word_embeddings": False,
    "decoder_start_token_id": 0,
    "pad_token_id": 0,
    "eos_token_id": 1,
}
TEXTS = ["the cat sat on a mat .", "a dog ran home", "the dog sat"]
GATE = "decoder.block.1.layer.1.EncDecAttention.gate.gate.weight"


def _tiny_model() -> ContraModel:
    torch.manual_seed(0)
    return ContraModel(T5Config(**{k: v for k, v in CONFIG.items() if k not in ("architectures", "auto_map")})).eval()


def _write_tokenizer(path: Path) -> None:
    tok = Tokenizer(models.WordLevel({w: i for i, w in enumerate(WORDS)}, unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    tok.post_processor = processors.TemplateProcessing(single="$A </s>", special_tokens=[("</s>", 1)])
    tok.add_special_tokens(["<pad>", "</s>", "<unk>"])
    tok.save(str(path))


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("contra-tiny")
    (path / "config.json").write_text(json.dumps(CONFIG))
    save_file(export_state_dict(_tiny_model()), str(path / "model.safetensors"))
    _write_tokenizer(path / "tokenizer.json")
    return path


@pytest.fixture(scope="module")
def contra(folder: Path) -> ContraCodec:
    # The only successful load_codec here: the cache holds two codecs, and the embedded one is the other.
    return load_codec(f"contra:{folder}")


def _copy(folder: Path, dest: Path, weights: bool = True) -> Path:
    shutil.copytree(folder, dest, ignore=None if weights else shutil.ignore_patterns("*.safetensors"))
    return dest


def test_load_codec_loads_a_contra_folder_once(contra, folder):
    assert isinstance(contra, ContraCodec) and contra.name == "contra" and contra.dim == 32
    assert contra.space.startswith("contra-") and len(contra.space) == len("contra-") + 8
    assert contra.fingerprint.startswith(contra.space) and len(contra.fingerprint) == len(contra.space) + 8
    assert load_codec(f"contra:{folder}") is contra
    assert load_codec(f"contra:{folder}/") is contra  # another spelling of the same folder


def test_encode_gives_deterministic_unit_rows_independent_of_the_batch(contra):
    z = contra.encode(TEXTS)
    assert z.shape == (3, 32) and z.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(z, axis=1), 1.0, atol=1e-5)
    np.testing.assert_array_equal(contra.encode(TEXTS), z)
    np.testing.assert_allclose(contra.encode([TEXTS[2]])[0], z[2], atol=1e-5)  # padding does not leak in
    assert contra.encode([]).shape == (0, 32)


def test_decode_gives_n_texts_per_row_and_is_seeded(contra):
    z = contra.encode(TEXTS)
    first = contra.decode(z, n=3, temperature=1.0, seed=5)
    assert [len(row) for row in first] == [3, 3, 3]
    assert all(isinstance(t, str) for row in first for t in row)
    assert contra.decode(z, n=3, temperature=1.0, seed=5) == first
    assert contra.decode(z, n=3, temperature=1.0, seed=6) != first
    greedy = contra.decode(z, n=2)
    assert [len(row) for row in greedy] == [2, 2, 2] and all(a == b for a, b in greedy)
    assert contra.decode(z[2:]) == [greedy[2][:1]]  # a row decodes the same alone as in a batch


def test_decode_from_two_threads_matches_sequential(contra):
    z = contra.encode(TEXTS)
    seeds = (1, 2)
    expected = [contra.decode(z, n=1, temperature=0.9, seed=s) for s in seeds]
    got: dict[int, list[list[str]]] = {}
    threads = [threading.Thread(target=lambda s=s: got.__setitem__(s, contra.decode(z, 1, 0.9, s))) for s in seeds]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [got[s] for s in seeds] == expected


def test_it_neither_refines_nor_continues_starts_and_says_so(contra):
    z = contra.encode(TEXTS[:1])[0]
    assert not contra.refines and not contra.completes
    with pytest.raises(CodecError, match="no corrector"):
        contra.refine(z, TEXTS[0])
    with pytest.raises(CodecError, match="continue"):
        contra.complete(z, ["The"])
    assert not contra.beam_searches
    with pytest.raises(CodecError, match="beam-search"):
        contra.decode(z, n=2, beams=2)


def test_decode_refuses_vectors_of_another_dimension(contra):
    with pytest.raises(CodecError, match="dimension 384"):
        contra.decode(np.ones((1, 384), dtype=np.float32))


def test_decoder_matches_transformers_t5_when_the_gates_are_open():
    # With zero gate weights the gate is 2 * sigmoid(0) = 1, so our cached step-by-step decoder
    # must equal transformers' own T5 decoder attending to the latent.
    model = _tiny_model()
    for gate in model.bottleneck.gates:
        torch.nn.init.zeros_(gate.weight)
    z = torch.nn.functional.normalize(torch.randn(2, 32), dim=-1)
    tokens = torch.randint(0, len(WORDS), (2, 5))
    with torch.inference_mode():
        reference = model.lm_head(model.decoder(input_ids=tokens, encoder_hidden_states=z[:, None]).last_hidden_state)
        cache, ours = [], []
        for position in range(tokens.shape[1]):
            logits, cache = model.step(tokens[:, position], z, cache, position)
            ours.append(logits)
    torch.testing.assert_close(torch.stack(ours, dim=1), reference, atol=1e-4, rtol=1e-4)


def test_a_renamed_key_fails_naming_it(folder, tmp_path):
    bad = _copy(folder, tmp_path / "renamed")
    tensors = load_file(str(bad / "model.safetensors"))
    tensors[GATE.replace("gate.gate", "gate.proj")] = tensors.pop(GATE)
    save_file(tensors, str(bad / "model.safetensors"))
    with pytest.raises(CodecError) as err:
        load_codec(f"contra:{bad}")
    assert f"missing (1): {GATE}" in str(err.value)
    assert "unexpected (1): decoder.block.1.layer.1.EncDecAttention.gate.proj.weight" in str(err.value)


def test_a_pickle_only_folder_fails_with_a_conversion_that_works(folder, tmp_path):
    pickled = _copy(folder, tmp_path / "bin", weights=False)
    state = _tiny_model().state_dict()  # as transformers saved it: tied tensors share storage
    torch.save(state, pickled / "pytorch_model.bin")
    with pytest.raises(CodecError, match="only pytorch_model.bin") as err:
        load_codec(f"contra:{pickled}")
    snippet = str(err.value).split("\n", 1)[1]
    assert (
        "weights_only=True" in snippet and "safetensors.torch.save_file" in snippet and len(snippet.splitlines()) == 3
    )
    exec(snippet, {})  # the user's one-time conversion, run as printed
    converted = ContraCodec(pickled)  # not through load_codec: keep its two-slot cache for the others
    assert converted.encode(TEXTS).shape == (3, 32)


def test_missing_folder_and_bad_names_are_clear_errors(tmp_path):
    with pytest.raises(CodecError, match="does not exist"):
        load_codec(f"contra:{tmp_path / 'nowhere'}")
    (tmp_path / "empty").mkdir()
    with pytest.raises(CodecError, match="no config.json"):
        load_codec(f"contra:{tmp_path / 'empty'}")
    with pytest.raises(ConfigError, match="needs a checkpoint folder"):
        load_codec("contra:")
    with pytest.raises(ConfigError, match=r"available: embedded, smol, contra:<folder>"):
        load_codec("bottleneck")
