"""The renderer's links, callouts, highlights, bare URLs and line breaks, and the notebook's
answers applied to them (core/markdown/wikilinks_extension.py, vault_extension.py,
core/links/preview_marks.py)."""

from __future__ import annotations

import re

import pytest
from markdown.treeprocessors import InlineProcessor

from notebook_app.core.links.preview_marks import (
    LinkMarks,
    TermMark,
    definition_of,
    link_names,
    mark_links,
    mark_terms,
)
from notebook_app.core.links.results import LinkTarget
from notebook_app.core.markdown.renderer import MarkdownRenderer
from notebook_app.core.markdown.wikilinks_extension import wiki_href, wiki_target


def html_of(text: str, *, breaks: bool = True) -> str:
    return MarkdownRenderer(breaks=breaks).render(text).html


def hrefs(html: str) -> list[str]:
    return re.findall(r'href="([^"]*)"', html)


# -- [[links]] ------------------------------------------------------------------------------


def test_links_become_wiki_anchors_with_their_shown_text() -> None:
    html = html_of("[[Superposition]], [[Sparse Coding|coding]] and [[Title#Part]] [[#Top]]")
    assert '<a class="wikilink" href="wiki:Superposition">Superposition</a>' in html
    assert '<a class="wikilink" href="wiki:Sparse%20Coding">coding</a>' in html
    assert '<a class="wikilink" href="wiki:Title#Part">Title › Part</a>' in html
    assert '<a class="wikilink" href="wiki:#Top">Top</a>' in html


@pytest.mark.parametrize(
    ("source", "name"),
    [
        ("[[C\\#]]", "C#"),
        ("[[A\\|B|shown]]", "A|B"),
        ("[[x\\]y]]", "x]y"),
        ("[[a&b<c>]]", "a&b<c>"),
    ],
)
def test_escaped_titles_read_back_exactly(source: str, name: str) -> None:
    html = html_of(source)
    (href,) = hrefs(html)
    assert wiki_target(href) == (name, None)
    assert "<c>" not in html  # the title is text, escaped


def test_code_and_unclosed_brackets_are_no_links() -> None:
    html = html_of("`[[Code]]` and [[ unclosed and [[]]\n\n    [[Indented]]\n")
    assert "wiki:" not in html


def test_note_embed_and_file_embed() -> None:
    html = html_of("![[Other note]] ![[figure.png]] [[paper.pdf|the paper]]")
    assert '<span class="file-link" title="File: paper.pdf">the paper</span>' in html
    assert '<a class="wikilink embed" href="wiki:Other%20note">⧉ Other note</a>' in html
    assert '<img alt="figure.png" src="attachment:figure.png">' in html


@pytest.mark.parametrize(
    "source",
    [
        "[[javascript:alert(1)]]",
        "[[file:///etc/passwd|x]]",
        "![[data:text/html,<script>x</script>]]",
        '[[x" onclick="y]]',
        "[[Title#javascript:alert(1)]]",
    ],
)
def test_a_link_name_never_becomes_another_scheme(source: str) -> None:
    html = html_of(source)
    for href in hrefs(html):
        assert href.startswith("wiki:")
        assert re.fullmatch(r"wiki:[A-Za-z0-9%._~-]*(#[A-Za-z0-9%._~-]*)?", href)
    # One anchor with its class and href only: the name is its text, never an attribute.
    assert re.fullmatch(r'<p><a class="wikilink(?: embed)?" href="[^"]*">[^<]*</a></p>', html)


def test_wiki_href_round_trip() -> None:
    for name, heading in [("A b", None), ("C#", "H|1"), ("x%y", "é")]:
        assert wiki_target(wiki_href(name, heading)) == (name, heading)
    assert wiki_target("entry:abc") is None


# -- what the notebook answered ---------------------------------------------------------------


def test_mark_links_by_state() -> None:
    html = html_of("[[Here]] [[Gone]] [[Twin]] [[Unknown yet]] [[#Top]]")
    assert link_names(html) == ["Here", "Gone", "Twin", "Unknown yet", ""]
    targets = {
        "here": LinkTarget("here", "id1", "Here", 1),
        "gone": LinkTarget("gone", None, None, 0),
        "twin": LinkTarget("twin", "id2", "Twin", 3),
    }
    marked = mark_links(html, targets)
    assert 'class="wikilink wikilink-resolved" href="wiki:Here" title="Here"' in marked
    assert 'wikilink-missing" href="wiki:Gone" title="No entry is called Gone' in marked
    assert 'wikilink-ambiguous" href="wiki:Twin" title="3 entries are called Twin' in marked
    assert '<a class="wikilink" href="wiki:Unknown%20yet">' in marked  # not answered yet
    assert 'wikilink-resolved" href="wiki:#Top"' in marked
    assert mark_links("<p>no links</p>", targets) == "<p>no links</p>"


def test_mark_terms_first_use_outside_links_code_and_headings() -> None:
    sections = [
        "<h2>SAE</h2><p><code>SAE</code> and [[x]] <a href='y'>SAE</a></p>",
        "<p>An SAE &amp; an SAE; superposition.</p>",
        "<p>SAE again, and Superposition</p>",
    ]
    terms = [
        TermMark("SAE", "t1", "SAE", 'A "sparse" <autoencoder>'),
        TermMark("superposition", "t2", "Superposition", ""),
    ]
    out = mark_terms(sections, terms)
    assert out[0] == sections[0]  # heading, code and link: nothing marked
    assert out[1] == (
        '<p>An <a class="term" href="entry:t1" title="SAE: A &quot;sparse&quot; '
        '&lt;autoencoder&gt;">SAE</a> &amp; an SAE; <a class="term" href="entry:t2" '
        'title="Superposition">superposition</a>.</p>'
    )
    assert out[2] is sections[2]  # each term once in the note
    assert mark_terms(sections, []) == sections


def test_a_term_is_a_whole_word() -> None:
    out = mark_terms(["<p>SAEs and RSAE, then SAE.</p>"], [TermMark("SAE", "t", "SAE", "")])
    assert out == ['<p>SAEs and RSAE, then <a class="term" href="entry:t" title="SAE">SAE</a>.</p>']


def test_definition_is_the_first_paragraph_plain() -> None:
    assert (
        definition_of("# Head\n\n**Sparse** [[auto|AE]] with `x`.\n\nMore.") == "Sparse AE with x."
    )
    assert definition_of("") == ""
    assert len(definition_of("word " * 200)) <= 300


def test_definition_leaves_out_what_the_page_does_not_show() -> None:
    # A private comment, a block id, a callout's mark: none is on the page, none in the hover.
    body = "Features %%ask Jo%% in [[Superposition#Toy models]] and [[C\\#]]. ^def-1\n\nMore."
    assert definition_of(body) == "Features in Superposition › Toy models and C#."
    assert definition_of("%%\nprivate\n\nnotes\n%%\n\nThe real one.") == "The real one."
    assert (
        definition_of("> [!note] Idea\n> - More features than dims.")
        == "Idea More features than dims."
    )


# -- callouts, highlights, bare URLs, line breaks, tasks -----------------------------------------


def test_callouts() -> None:
    html = html_of("> [!warning]- Careful here\n> body *text*\n\ntext\n\n> [!faq]\n> asked")
    assert '<table cellpadding="0" cellspacing="0" class="callout callout-warning"' in html
    assert '<td class="callout-rule" width="4"></td>\n<td class="callout-body">' in html
    assert '<p class="callout-title"><b>⚠ <span>Careful here</span></b>' in html
    assert '<span class="callout-fold"> ▸</span>' in html  # folded: marked, body still shown
    assert "<p>body <em>text</em></p>" in html
    assert 'class="callout callout-question"' in html  # an alias of question
    assert "<span>Faq</span>" in html
    assert "[!" not in html and "<blockquote" not in html
    plain = html_of("> just a quote\n> [!note] not first")
    assert "callout" not in plain and "<blockquote>" in plain


def test_callouts_with_the_preview_typesetting_stay_balanced() -> None:
    from notebook_app.core.markdown.typeset_extension import TypesetExtension

    text = "> [!tip] Key\n> body\n\nafter\n\n> a quote\n\nend"
    html = MarkdownRenderer(extensions=[TypesetExtension()]).render(text).html
    assert html.count("<table") == html.count("</table>") == 2
    assert html.index("<p>after</p>") > html.index("</table>")  # not inside the callout


def test_highlights() -> None:
    html = html_of("a ==marked *bit*== b, but a == b and `==code==`")
    assert '<span class="highlight">marked <em>bit</em></span>' in html
    assert "a == b" in html
    assert "<code>==code==</code>" in html


def test_obsidian_comments_are_left_out_of_the_page() -> None:
    rendered = MarkdownRenderer().render(
        "para %%aside%% on\n%%\n# Draft heading\nsecret\n%%\nmore\n\n%% a whole line %%\n\n"
        "`%%code%%` and a %% b\n\n```\n%%\nin code\n```\n\n%%\nunclosed to the end\n# H"
    )
    html = rendered.html
    assert "aside" not in html and "secret" not in html and "whole line" not in html
    assert "<p>para  on</p>\n<p>more</p>" in html  # a block comment stands as a blank line
    assert "<code>%%code%%</code> and a %% b" in html and "%%\nin code" in html
    assert "unclosed" not in html and rendered.headings == []


def test_obsidian_block_ids_are_left_out_of_the_page() -> None:
    html = html_of(
        "A claim. ^claim-1\n\n- item ^blk\n- next\n\nx^2, a ^ b, `code ^id`, [[N#^claim-1]]"
    )
    assert "claim-1" not in html.split("wiki:")[0] and "blk" not in html
    assert "x^2, a ^ b" in html and "<code>code ^id</code>" in html
    assert 'href="wiki:N#%5Eclaim-1"' in html  # the link to the block is kept
    # A block that has both an Obsidian id and Logseq's (an imported graph's): both go.
    assert html_of("A claim. ^claim-1\nid:: 64a1b2c3\nmore") == "<p>A claim. <br>\nmore</p>"


def test_logseq_bookkeeping_properties_are_left_out_of_the_page() -> None:
    html = html_of(
        "author:: Someone\n\n- first block\n  id:: 64a1b2c3-0000-4000-8000-000000000001\n"
        "  - child\n    collapsed:: true\n- Question #card\n  card-next-schedule:: 2024-01-01\n"
        "  card-ease-factor:: 2.5\n\n`id:: in code` and a grid:: kept"
    )
    for hidden in ("64a1b2c3", "collapsed", "card-next", "2.5"):
        assert hidden not in html
    assert "<li>first block<ul>" in html and "<li>child</li>" in html
    assert "author:: Someone" in html  # what the user wrote is text
    assert "<code>id:: in code</code>" in html and "grid:: kept" in html


def test_strikethrough() -> None:
    html = html_of("~~struck **bold**~~, but a ~~ b ~~ c and `~~code~~`\n\n~~~\nfence\n~~~")
    assert "<s>struck <strong>bold</strong></s>" in html
    assert "a ~~ b ~~ c" in html and "<code>~~code~~</code>" in html
    assert html.count("<s>") == 1 and "<pre>" in html


def test_bare_urls_are_linked_without_trailing_punctuation() -> None:
    html = html_of(
        "See https://example.com/a_(b)?q=1. Or www.example.org, and "
        "[text](https://x.org/y) <https://z.org> `https://code.org` javascript:alert(1)"
    )
    url = "https://example.com/a_(b)?q=1"
    assert f'<a class="bare-url" href="{url}">{url}</a>. Or' in html
    assert '(see <a class="bare-url" href="https://x.org/p">https://x.org/p</a>)' in html_of(
        "(see https://x.org/p)"
    )
    assert '(<a class="bare-url" href="https://x.org/q">https://x.org/q</a>).' in html_of(
        "(https://x.org/q)."
    )
    assert '<a class="bare-url" href="https://www.example.org">www.example.org</a>,' in html
    assert hrefs(html).count("https://x.org/y") == 1
    assert hrefs(html).count("https://z.org") == 1
    assert "https://code.org" not in hrefs(html)
    assert not any(h.startswith("javascript") for h in hrefs(html))


def test_a_bare_url_ends_where_other_inline_syntax_begins() -> None:
    # What an inline pattern took before (a code span, a link, an escape) was a placeholder
    # the URL ran on into: the href held "klzzwxh:0000" and the link nested another.
    html = html_of("https://x.org/a`code` https://x.org/b[l](u) https://x.org/c\\_d")
    assert hrefs(html) == ["https://x.org/a", "https://x.org/b", "u", "https://x.org/c"]
    assert "<code>code</code>" in html and "klzzwxh" not in html


def test_line_breaks_and_strict_commonmark() -> None:
    assert html_of("one\ntwo") == "<p>one<br>\ntwo</p>"
    assert html_of("one\ntwo", breaks=False) == "<p>one\ntwo</p>"
    # Within emphasis and links too; code keeps its newlines.
    assert html_of("*a\nb* [c\nd](u) `e\nf`") == (
        '<p><em>a<br>\nb</em> <a href="u">c<br>\nd</a> <code>e\nf</code></p>'
    )


@pytest.fixture
def inline_matches(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The kind of each inline match Python-Markdown makes from here on."""
    matches: list[str] = []
    stash = InlineProcessor._InlineProcessor__stashNode  # type: ignore[attr-defined]

    def counting_stash(self: InlineProcessor, node: object, kind: str) -> str:
        matches.append(kind)
        return stash(self, node, kind)  # type: ignore[no-any-return]

    monkeypatch.setattr(InlineProcessor, "_InlineProcessor__stashNode", counting_stash)
    return matches


@pytest.mark.parametrize(("breaks", "end"), [(True, ""), (True, "  "), (False, "  ")])
def test_a_paragraph_of_many_lines_costs_no_inline_match_per_line(
    inline_matches: list[str], breaks: bool, end: str
) -> None:
    # Each inline match copies the rest of its paragraph. Line breaks and hard breaks (two
    # spaces) were each one (nl2br, "linebreak"), so a pasted log of 80,000 short lines took
    # 16 s to preview; now they are made after inline parsing, in one pass.
    lines = [f"line {n}{end}" if n % 100 else f"line *{n}*{end}" for n in range(20_000)]
    html = html_of("\n".join(lines), breaks=breaks)
    assert html.count("<br>") == 19_999
    assert "line <em>19900</em><br>" in html and html.endswith(f"line 19999{end}</p>")
    assert len(inline_matches) == 200  # the emphasis alone


def test_hard_breaks() -> None:
    assert html_of("a  \nb\nc", breaks=False) == "<p>a<br>\nb\nc</p>"
    assert html_of("a   \n`b  \nc`", breaks=False) == "<p>a <br>\n<code>b  \nc</code></p>"
    # A block id before one is at its line's end, and a Logseq line before one takes no more
    # than its line with it (it took the next line too).
    assert html_of("A claim. ^claim-1  \nnext") == "<p>A claim. <br>\nnext</p>"
    assert html_of("A block\nid:: 64a1b2c3  \nthe next line") == (
        "<p>A block<br>\nthe next line</p>"
    )


def test_task_boxes_name_their_item() -> None:
    html = html_of("- [ ] write *it* up\n- [x] done")
    assert (
        '<a class="task-box" href="task:write%20%2Ait%2A%20up">☐</a> write <em>it</em> up' in html
    )
    assert '<a class="task-box" href="task:done">☑</a> done' in html


def test_mark_terms_with_a_cache_gives_the_same_and_follows_edits() -> None:
    terms = [TermMark("SAE", "t1", "SAE", ""), TermMark("probe", "t2", "Probe", "")]
    sections = ["<p>An SAE.</p>", "<p>SAE and a probe.</p>", "<p>probe</p>"]
    cache: dict = {}  # type: ignore[type-arg]
    first = mark_terms(sections, terms, cache, 1)
    assert first == mark_terms(sections, terms)
    assert cache and first[0] != sections[0] and first[2] == sections[2]
    # The first section no longer says SAE: the second one now holds its first use.
    edited = ["<p>A thing.</p>", *sections[1:]]
    again = mark_terms(edited, terms, cache, 1)
    assert again == mark_terms(edited, terms)
    assert 'href="entry:t1"' in again[1]


def test_link_marks_are_kept_until_the_answers_change() -> None:
    html = html_of("[[Here]] and [[There]]")
    marks = LinkMarks()
    gone = {"here": LinkTarget("here", None, None, 0), "there": LinkTarget("there", None, None, 0)}
    marked, names = marks.mark([html, "<p>x</p>"], gone)
    assert names == ["Here", "There"] and marked[0].count("wikilink-missing") == 2
    assert marked[1] == "<p>x</p>"
    found = {**gone, "here": LinkTarget("here", "id", "Here", 1)}
    assert marks.mark([html], found)[0] == marked[:1]  # kept: the caller has not said
    marks.forget()
    again, _ = marks.mark([html], found)
    assert again[0].count("wikilink-missing") == 1 and "wikilink-resolved" in again[0]


def test_bad_input_renders_bounded_and_marked() -> None:
    import time

    text = (
        "[[ never closed\n\n[[a\\|b]] [[x\\]y|z]] ![[Self]] "
        + " ".join(f"[[Note {i}]]" for i in range(1000))
        + "\n\n"
        + "[[" * 5000
        + "\n\n"
        + "[["
        + "x" * 5000
        + "]]"
    )
    start = time.perf_counter()
    html = MarkdownRenderer().render_sectioned(text, None).html  # as the preview renders
    assert time.perf_counter() - start < 10  # bounded (about 0.1 s; generous for the CI)
    assert "render-notice" in html  # the run of brackets: plain text, with the notice
    names = link_names(html)
    assert names[:3] == ["a|b", "x]y", "Self"] and len(names) == 1003
    assert "[[ never closed" in html
    assert "x" * 5000 in html and "wiki:xxx" not in html  # too long to be a link: text
    marked = mark_links(html, {})
    assert marked == html  # nothing answered yet: left as it is
