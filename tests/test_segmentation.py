from hypothesis import given
from hypothesis import strategies as st

from pipeline.ingest import Block
from pipeline.segment import segment_blocks, segment_id, split_sentences, units


def sentences(text: str) -> list[str]:
    return [s for s, _ in split_sentences(text)]


def test_abbreviations_percent_and_al_names_do_not_break() -> None:
    text = (
        "As the territory controlled by ISIS dwindled to 2% of what it once was, many of the group's "
        "foreign elements escaped, al-Hashemi said. Dr. Smith met U.S. officials at 3 p.m. on Monday."
    )
    assert sentences(text) == [
        "As the territory controlled by ISIS dwindled to 2% of what it once was, many of the group's "
        "foreign elements escaped, al-Hashemi said.",
        "Dr. Smith met U.S. officials at 3 p.m. on Monday.",
    ]


def test_quotes_stay_with_their_sentence() -> None:
    text = (
        'The group\'s elements are "very disappointed and frustrated", he told Diyaruna. '
        '"They know that all their sick dreams have evaporated and their plans have gone with the wind."'
    )
    assert sentences(text) == [
        'The group\'s elements are "very disappointed and frustrated", he told Diyaruna.',
        '"They know that all their sick dreams have evaporated and their plans have gone with the wind."',
    ]


def test_quoted_speech_with_attribution_is_one_sentence() -> None:
    text = '"The group is nearing the end," al-Jughaifi said, adding that it is likely.'
    assert sentences(text) == [text]


def test_caption_credit_is_its_own_segment() -> None:
    text = "Iraqi forces hold a position near al-Qaim a day earlier. [Ahmad al-Rubaye/AFP]"
    assert sentences(text) == [
        "Iraqi forces hold a position near al-Qaim a day earlier.",
        "[Ahmad al-Rubaye/AFP]",
    ]


def test_ids_depend_on_text_not_position() -> None:
    a = segment_blocks([Block("paragraph", "One. Two.", 1), Block("paragraph", "Three.", 3)])
    b = segment_blocks(
        [
            Block("paragraph", "New first.", 1),
            Block("paragraph", "One. Two.", 3),
            Block("paragraph", "Three.", 5),
        ]
    )
    assert [s.id for s in a] == [s.id for s in b][1:]
    assert segment_id("paragraph", "One.") == segment_id("paragraph", "One.  ")
    assert segment_id("paragraph", "One.") != segment_id("caption", "One.")


def test_repeated_caption_is_one_unit_with_two_lines() -> None:
    segs = segment_blocks([Block("caption", "A photo. [X/AFP]", 9), Block("caption", "A photo. [X/AFP]", 11)])
    found = units(segs)
    assert len(found) == 2
    assert found[0].lines == [9, 11]


@given(st.text())
def test_split_then_join_gives_back_the_text(text: str) -> None:
    pairs = split_sentences(text)
    assert "".join(s + sep for s, sep in pairs) == text.strip()
    assert all(s for s, _ in pairs)
