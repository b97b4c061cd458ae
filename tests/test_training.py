"""The training scripts: which rows a run draws its length-sorted windows from, where a batch's
vectors come from, how a corrector starts, and how the lexicon reads its words in context."""

from __future__ import annotations

import random
import sys
from argparse import Namespace
from collections import Counter
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "training"))

from build_lexicon import context_sentences, in_context  # noqa: E402  (scripts, not part of the package)
from drafts import damage  # noqa: E402
from train_codec import BatchVectors, length_order  # noqa: E402
from train_corrector import corrector_from  # noqa: E402

from refract.codec.encoder import SentenceEncoder, minilm_path  # noqa: E402
from refract.codec.model import BOS  # noqa: E402
from refract.revise import tokens_of  # noqa: E402
from refract.space.lexicon import load_lexicon  # noqa: E402

SENTENCE = "The rain had stopped by the time she reached the station, but the last train had already pulled away."


def test_held_out_rows_are_never_drawn_and_the_rest_are_sorted_by_length() -> None:
    lengths = [5, 1, 9, 3, 7, 2, 8, 4]
    order = length_order(lengths, held=2).tolist()
    assert sorted(order) == list(range(2, 8))
    assert [lengths[i] for i in order] == sorted(lengths[2:])


def test_repeated_rows_are_drawn_that_many_times_and_spread_among_rows_of_their_length() -> None:
    lengths = [3] * 220 + [4] * 20  # rows 200..219 are repeated, among 200 others of their length
    order = length_order(lengths, held=0, repeated=range(200, 220), times=3, seed=1).tolist()
    counts = Counter(order)
    assert all(counts[i] == 3 for i in range(200, 220)) and all(counts[i] == 1 for i in [*range(200), *range(220, 240)])
    assert [lengths[i] for i in order] == sorted(lengths[i] for i in order)
    assert sum(a == b for a, b in zip(order, order[1:], strict=False)) < 3  # copies are not side by side
    assert length_order(lengths, 0, range(200, 220), 3, seed=1).tolist() == order  # fixed by the seed


def test_drafts_keep_some_words_and_swap_in_words_of_the_same_topic(codec) -> None:
    lexicon = load_lexicon(codec)
    z = codec.encode([SENTENCE])[0]
    source = {t.lower() for t in tokens_of(SENTENCE)}
    drafts = [damage(SENTENCE, z, lexicon, random.Random(seed)) for seed in range(20)]
    assert damage(SENTENCE, z, lexicon, random.Random(0)) == drafts[0]  # fixed by the seed
    kept = [len(source & {t.lower() for t in tokens_of(d)}) / len(source) for d in drafts]
    assert 0.3 < sum(kept) / len(kept) < 0.95 and len(set(drafts)) == len(drafts)
    donors = {w for words in lexicon.toward(z, 8).values() for w in words}
    new = {t.lower() for d in drafts for t in tokens_of(d)} - source
    assert new and new <= donors  # every word not in the sentence is one pointing toward its vector


def test_an_encoder_trained_along_starts_at_minilm_and_learns_through_the_tether() -> None:
    lines = [SENTENCE, "I loved the soup, but the bread was stale.", "Please send the invoice by Friday."]
    z = SentenceEncoder(minilm_path(), bf16=False).encode(lines)
    args = Namespace(
        seed=0, device="cpu", sigma=0.0, train_encoder=True, encoder_rank=4, encoder_lr_scale=3.0, tether=5.0
    )
    vectors = BatchVectors(args, lines, (z, z), resume=None)
    assert torch.allclose(vectors.held_out(3), z, atol=0.02)  # a new adapter (B = 0) is MiniLM itself
    assert torch.allclose(vectors.held_out(2, start=1), z[1:], atol=0.02)  # lines it trains on, for the seen loss
    fresh, tether = vectors.batch([0, 1, 2], torch.tensor([False, True, False]))
    assert fresh.shape == (3, 384) and torch.allclose(fresh.norm(dim=-1), torch.ones(3), atol=1e-4)
    assert tether.item() < 0.05  # the clean rows are still at MiniLM's vectors
    (fresh[:, 0].sum() + tether).backward()
    [group] = vectors.param_groups()
    assert group["scale"] == 3.0 and len(group["params"]) == 2 * 6 * 6  # A and B beside 6 projections of 6 blocks
    named = dict(vectors.encoder.model.named_parameters())
    # B starts at zero, so on the first step only B has a gradient (A's is B-scaled)
    assert all(named[n].grad.abs().sum() > 0 for n in named if n.endswith(".b"))
    assert not any(p.requires_grad for n, p in named.items() if not n.endswith((".a", ".b")))


def test_a_corrector_starts_as_the_decoder_it_extends_and_trains_only_what_reads_the_draft(tiny_decoder):
    corrector, new = corrector_from(tiny_decoder)
    corrector.eval()
    assert new and all(".read." in k or k in ("draft_pos.weight", "from_lacking.weight") for k in new)
    assert {n for n, p in corrector.named_parameters() if p.requires_grad} == set(new)
    z, lacking = torch.randn(2, 8), torch.randn(2, 8)
    tokens, draft = torch.tensor([[BOS, 7, 9], [BOS, 4, 4]]), torch.tensor([[11, 12, 2, 0], [13, 2, 0, 0]])
    plain = tiny_decoder(z, tokens)
    assert torch.allclose(corrector(torch.cat([z, lacking], 1), tokens, draft), plain, atol=1e-5)
    for block in corrector.blocks:  # open the gates: now the draft changes what it writes
        block.read.gate.data.fill_(1.0)
    assert not torch.allclose(corrector(torch.cat([z, lacking], 1), tokens, draft), plain, atol=1e-3)


def test_context_sentences_stop_reading_once_each_word_is_seen_enough() -> None:
    lines = ["The bank was closed.", "The bank lent money.", "The bank lent money.", "A river bank.", "Nothing."]
    read = ["The bank was closed.", "The bank lent money.", "A river bank."]
    assert context_sentences({"bank", "river"}, lines, 2) == read


def test_a_word_read_in_context_leans_toward_what_its_sentences_are_about() -> None:
    encoder = SentenceEncoder(minilm_path(), bf16=False)
    words = ["bank", "unseen"]
    rivers = in_context(encoder, words, ["We sat on the grassy bank of the river.", "Fish swam near the muddy bank."])
    money = in_context(encoder, words, ["The bank raised its interest rates.", "I deposited my cash at the bank."])
    assert abs(float(np.linalg.norm(rivers[0])) - 1) < 1e-5 and not rivers[1].any()
    river, cash = encoder.encode(["a river", "a loan of money"]).numpy()
    assert rivers[0] @ river > money[0] @ river and money[0] @ cash > rivers[0] @ cash


def test_word_dropped_copies_are_made_from_the_stored_ids_as_if_the_sentence_had_lost_words() -> None:
    """EncoderInputs masks whole whitespace words (punctuation and word pieces go with their word),
    as prepare_codec_data.word_dropout does to the text: each copy tokenizes like a sentence of
    some of the words, in order, never none of them."""
    from itertools import combinations

    from prepare_codec_data import WORD_DROP
    from train_codec import EncoderInputs

    encoder = SentenceEncoder(minilm_path(), bf16=False)
    lines = ["Unbelievably, the rain-soaked ferry docked at 6:40 p.m.", "Short one."]
    inputs = EncoderInputs(encoder, lines)
    words = lines[0].split()
    subsets = {
        tuple(encoder.tokenizer(" ".join(kept))["input_ids"]): len(kept)
        for n in range(1, len(words) + 1)
        for kept in combinations(words, n)
    }
    generator = torch.Generator().manual_seed(0)
    whole = inputs.batch([0, 1], torch.tensor([False, False]), generator)
    assert [r[m.bool()].tolist() for r, m in zip(whole["input_ids"], whole["attention_mask"], strict=True)] == [
        encoder.tokenizer(line)["input_ids"] for line in lines
    ]
    lost = []
    for _ in range(200):
        batch = inputs.batch([0], torch.tensor([True]), generator)
        ids = tuple(batch["input_ids"][0][batch["attention_mask"][0].bool()].tolist())
        assert ids in subsets  # closed up, word by word: a sentence of some of the words
        lost.append(1 - subsets[ids] / len(words))
    assert abs(sum(lost) / len(lost) - WORD_DROP) < 0.05
