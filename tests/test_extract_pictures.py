"""Precision fixes from the benchmark's leaked blocks (``scripts/bench_extract.py --show``).

Each page is a small synthetic reduction of a real one from the public suites (readability's test
pages, scrapinghub's article-extraction benchmark) named in the test: an image's alt text shown as
a caption next to the visible caption with the same words, a teaser title on every thumbnail, an
alt text describing a picture, a site-name ``<h1>`` above the story's own, an author box with no
name in it, and reader-engagement lines the furniture list did not know.
"""

from __future__ import annotations

from pipeline.ingest.boilerplate import is_boilerplate
from pipeline.ingest.extract import alt_captions, extract_html, kept_blocks
from pipeline.ingest.html import parse_html
from pipeline.ingest.model import Block
from pipeline.ingest.titles import titled_index

BODY = [
    "The city council voted on Tuesday to rebuild the old bridge across the river after years of delay.",
    "Engineers said the work would take three years and cost more than the first estimate had suggested.",
    "Residents who crossed the bridge every day to reach the market welcomed the decision at the meeting.",
    "Opponents argued that the money should go to schools instead, and promised to keep up their campaign.",
    "The mayor said the first contracts would be signed before the end of the year if the budget allowed.",
]
CAPTION = "Workers inspect the rusted supports under the old bridge on Monday morning."


def _page(middle: str, *, head: str = "<h1>Council votes to rebuild bridge</h1>", after: str = "") -> str:
    paragraphs = [f"<p>{p}</p>" for p in BODY]
    return "\n".join(
        [
            "<!doctype html>",
            "<html><head><title>Council votes to rebuild bridge | Town News</title></head><body>",
            '<div class="story">',
            head,
            *paragraphs[:2],
            middle,
            *paragraphs[2:],
            "</div>",
            after,
            "</body></html>",
        ]
    )


def _kinds(page: str) -> list[tuple[str, str]]:
    return [(b.kind, b.text) for b in extract_html(page).blocks]


def test_alt_captions_are_found_with_their_lines_and_decoded():
    page = '<p>x</p>\n<img src="a.jpg" alt="A &amp; B  at work">\n<IMG alt=\'q\' src=x><img src=y>'
    assert alt_captions(page) == {(2, "A & B at work"), (3, "q")}


def test_an_alt_text_that_repeats_the_visible_caption_is_not_kept_twice():
    # guardian-1 (readability) and newsnation.in (scrapinghub): the picture's alt text, then the same
    # words as its visible caption; both came back, one of them always leaked.
    middle = (
        f'<div class="pic"><img src="a.jpg" alt="{CAPTION}">\n'
        f"<figure><figcaption>{CAPTION}</figcaption></figure></div>"
    )
    kinds = _kinds(_page(middle))
    assert kinds.count(("caption", CAPTION)) == 1, kinds
    assert all(("paragraph", p) in kinds for p in BODY)
    # the walker alone still stands the alt text in for a caption (its fallback when the engine fails)
    assert ("caption", CAPTION) in [(b.kind, b.text) for b in parse_html(_page(middle))]


def test_an_alt_text_describing_a_picture_is_not_a_caption():
    # wikipedia-2 (readability): "A smiling woman wearing a black dress", "A soldier in a green army
    # uniform faces forwards": descriptions for screen readers, not text on the page.
    alt = "A smiling woman wearing a black dress stands at a lectern"
    kinds = _kinds(_page(f'<p><img src="a.jpg" alt="{alt}"></p>'))
    assert not [t for _, t in kinds if "smiling woman" in t], kinds
    assert all(("paragraph", p) in kinds for p in BODY)


def test_a_teaser_title_on_every_thumbnail_is_dropped_even_where_the_engine_has_its_words():
    # lifehacker-working (readability): a related story's title as the alt text of 8 pictures, and
    # once as a link in the article, so trafilatura's text "covered" all eight.
    teaser = "How to Program Your Mind to Stop Buying Things You Do Not Need"
    linked = f'<p>Read our guide, <a href="/guide">{teaser}</a>, before the sales begin next week.</p>'
    pictures = "\n".join(f'<p class="has-media"><img src="{i}.jpg" alt="{teaser}"></p>' for i in range(8))
    kinds = _kinds(_page(f"{linked}\n{pictures}"))
    assert not [k for k, t in kinds if t == teaser], kinds
    assert all(("paragraph", p) in kinds for p in BODY)


def test_a_visible_caption_stays_a_kept_caption():
    middle = f"<figure><img src='a.jpg' alt='bridge'><figcaption>{CAPTION}</figcaption></figure>"
    assert ("caption", CAPTION) in _kinds(_page(middle))


def test_the_h1_matching_the_title_is_the_headline_not_the_site_name_above_it():
    # yahoo-3 (readability): <h1>Good Morning America</h1> (the show) before the story's <h1>;
    # msn: <h1>msn back to msn home news</h1> outside the <article>, whose headline is a later <h1>.
    head = '<h1 class="brand">Good Morning America</h1>\n<h1>Council votes to rebuild bridge</h1>'
    kinds = _kinds(_page("", head=head))
    assert [t for k, t in kinds if k == "headline"] == ["Council votes to rebuild bridge"]
    assert ("headline", "Good Morning America") not in kinds
    paragraphs = "".join(f"<p>{p}</p>" for p in BODY)
    outside = (
        "<html><head><title>Council votes to rebuild bridge | Town News</title></head><body>"
        "<h1>msn back to msn home news</h1><div><h1>Council votes to rebuild bridge</h1></div>"
        f"<article>{paragraphs}</article></body></html>"
    )
    blocks = parse_html(outside)
    assert [b.text for b in blocks if b.kind == "headline"] == ["Council votes to rebuild bridge"]


def test_titled_index_keeps_the_first_h1_unless_a_later_one_is_the_title():
    title = ["Council votes to rebuild bridge"]
    assert titled_index(["Town News", "Council votes to rebuild bridge"], title) == 1
    assert titled_index(["Council votes to rebuild bridge", "Other"], title) is None
    assert titled_index(["Town News", "Weather"], title) is None  # no match: the first stands
    assert titled_index(["Town News", "Council votes to rebuild bridge today, officials say"], title) == 1
    assert titled_index(["Town News", "Council"], title) is None  # a word of the title is no match
    assert titled_index(["A", "B"], ["Hi"]) is None  # a title too short to tell


def test_an_author_box_without_a_name_is_no_byline():
    # scrapinghub's pages: <div class="author-tools">email the author</div>, "follow on twitter".
    middle = '<div class="author-email">email the author</div><div class="author">By Jane Doe</div>'
    blocks = parse_html(_page(middle))
    assert [b.text for b in blocks if b.kind == "byline"] == ["By Jane Doe"]


def test_reader_engagement_lines_are_furniture():
    # phys.org, cleveland.com, indiewire.com, nytimes.com, bbc.com, theparadigmng.com, cbssports.com
    for line in [
        "Explore further",
        "You may also like...",
        "Popular on IndieWire",
        "Thanks for signing up!",
        "Loading Comments...",
        "Follow The New York Times Opinion section on Facebook, Twitter (@NYTopinion) and Instagram.",
        "Follow Newsbeat on Instagram, Facebook, Twitter and YouTube.",
        "Click here to subscribe to The Paradigm Newsletter",
    ]:
        assert is_boilerplate(line), line
    for line in [
        "Follow-up talks on Facebook and its role in the election were held on Monday.",
        "Popular support for the plan grew.",
        "Follow the debate on Twitter. Then the minister spoke at length about the new budget.",
        "Explore further afield, the guide says, and the villages of the valley open up.",
    ]:
        assert not is_boilerplate(line), line


def test_a_text_on_every_picture_comes_as_often_as_the_engine_has_it():
    # jeongdongtheater.com (scrapinghub): <p class="wp-caption-text"> with one show's name under ten
    # pictures, a paragraph to the walker, and all ten "covered" by trafilatura's one copy.
    label = "2018 Theater Tradition Series Performance at the Welcome Festival in the park"
    blocks = [Block("headline", "Council votes", 1)]
    for n, text in enumerate(BODY):
        blocks += [Block("paragraph", text, 10 * n + 2), Block("paragraph", label, 10 * n + 3)]
        blocks.append(Block("paragraph", label, 10 * n + 4))
    texts = [b.text for b in kept_blocks(blocks, [*BODY[:2], label, *BODY[2:]])]
    assert texts == ["Council votes", BODY[0], label, *BODY[1:]]


def test_a_line_the_article_repeats_on_purpose_is_kept_each_time():
    # zdnet.com (scrapinghub): "See it now: Amazon" after each of seven products is in the gold text
    # seven times, and in trafilatura's; keeping it once cost the page 0.05 recall.
    line = "See it now: Amazon"
    blocks = [Block("headline", "Council votes", 1)]
    for n in range(7):
        blocks += [Block("paragraph", f"{BODY[n % 5]} ({n})", 3 * n + 2), Block("paragraph", line, 3 * n + 3)]
    engine = [b.text for b in blocks[1:]]
    assert [b.text for b in kept_blocks(blocks, engine)].count(line) == 7
    assert [b.text for b in kept_blocks(blocks, engine[:2])].count(line) == 1
