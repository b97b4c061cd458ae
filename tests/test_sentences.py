from refract.sentences import sentence_at, sentence_spans, splice

DOC = (
    "# Field notes\n"
    "The ferry left at dawn. Gulls followed it\n"
    'out of the harbour! She said "enough." Then silence.\n'
    "\n"
    "- first item here\n"
    "- second item. Two parts?\n"
    "2. numbered line\n"
)


def _texts(text: str) -> list[str]:
    return [text[a:b] for a, b in sentence_spans(text)]


def test_sentences_split_at_punctuation_blank_lines_and_markdown_blocks():
    assert _texts(DOC) == [
        "Field notes",
        "The ferry left at dawn.",
        "Gulls followed it\nout of the harbour!",
        'She said "enough."',
        "Then silence.",
        "first item here",
        "second item.",
        "Two parts?",
        "numbered line",
    ]


def test_splice_keeps_everything_between_sentences():
    spans = sentence_spans(DOC)
    out = splice(DOC, spans, [f"<{i}>" for i in range(len(spans))])
    assert out == "# <0>\n<1> <2> <3> <4>\n\n- <5>\n- <6> <7>\n2. <8>\n"
    assert splice(DOC, spans, _texts(DOC)) == DOC


def test_sentence_at_finds_the_sentence_under_an_offset():
    offset = DOC.index("Gulls") + 3
    a, b = sentence_at(DOC, offset)
    assert DOC[a:b] == "Gulls followed it\nout of the harbour!"
    assert sentence_at(DOC, DOC.index("\n\n") + 1) is None
    assert sentence_at("", 0) is None


def test_pieces_without_a_letter_are_left_as_they_are():
    text = "We won the match.\n\n🙂🙂\n\n---\n\n- 42.\n- Then we went home!"
    assert _texts(text) == ["We won the match.", "Then we went home!"]
    assert sentence_spans("!!! ??? ...") == []
