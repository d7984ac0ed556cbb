"""The extraction check set: news pages written by us (fictional stories in
`bench/data/extraction_stories.json`) in the shapes real sites take, each with its gold text and
publication date.

Twelve page templates (a blog with comments and related posts, a newspaper built of divs, teaser
cards, comment `<article>`s, an empty first `<main>`, a `<form>` around the page, a UTF-8
header over Latin-1 bytes, a results table, photo credits, a German page with "Mehr zum Thema",
a page with "- Published" stamps and related links, bare `<br>` paragraphs) times eleven ways of
giving the date (meta keys, JSON-LD, `<time>`, bylines, day-first dates, the URL, only in a
footer line), with decoy dates (a last-edit date on half the pages, related articles,
comments, copyright).
Pages carry a realistic weight of scripts, styles and menus, so the speed figures mean something.

>>> pages = build_pages()
>>> len(pages), sorted(pages[0])
(96, ['date', 'file', 'html', 'text'])
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

STORIES = Path(__file__).parent / "data" / "extraction_stories.json"
Story = dict[str, object]
Page = dict[str, object]

_MENU = ("Home News World Business Sport Culture Opinion Weather Travel Science Podcasts Video "
         "Newsletters Puzzles Obituaries Jobs Property Motoring Subscribe Login").split()
_FOOTER = ("About us|Contact|Careers|Advertise|Privacy policy|Cookie settings|Terms of use|"
           "Accessibility|Complaints|Archive|RSS feeds|Sitemap").split("|")
_SCRIPT = "<script>window.__config = " + json.dumps({f"k{i}": "x" * 60 for i in range(300)}) + \
          ";</script>"
_STYLE = "<style>" + " ".join(f".c{i}{{margin:{i}px;color:#{i:03x}}}" for i in range(400)) + \
         "</style>"
_DECOY_TEASERS = [
    ("Council tax to rise by 3 per cent", "2017-02-02"),
    ("Storm warning for the coast this weekend", "2016-12-09"),
    ("New bus routes for the eastern districts", "2015-06-30"),
]
_MODIFIED = '<meta property="article:modified_time" content="2026-01-05T10:00:00Z">'
_ACCENTED = "Residents of Péronne-sur-Orrin said the café on the quay, run by Zoë Ålund, " \
            "had reopened with crème brûlée on the menu."


def build_pages() -> list[Page]:
    """Every page of the check set: `file`, `html` (bytes), gold `text` and `date`."""
    stories = json.loads(STORIES.read_text(encoding="utf-8"))
    pages = []
    for t, (name, template) in enumerate(TEMPLATES.items()):
        for s, story in enumerate(stories):
            style = DATE_STYLES[(t + s) % len(DATE_STYLES)]
            pages.append(_page(name, template, story, style, edited=(t + s) % 2 == 0))
    return pages


def _page(name: str, template: Callable[[Story, dict[str, str]], str], story: Story,
          style: Callable[[Story], dict[str, str]], edited: bool) -> Page:
    parts = style(story)
    if edited:  # half the pages also say when they were last edited (a decoy date)
        parts["head"] = parts.get("head", "") + _MODIFIED
    markup = template(story, parts)
    paragraphs = list(story["paragraphs"])  # type: ignore[call-overload]
    gold = [str(story["title"]), *paragraphs, *_EXTRA_GOLD.get(name, [])]
    encoding = "latin-1" if name == "charset-lie" else "utf-8"
    return {"file": f"{name}--{story['slug']}--{style.__name__}.html",
            "html": markup.encode(encoding), "text": "\n".join(gold), "date": story["date"]}


# --- the ways a page gives its date --------------------------------------------------------------


def _day(story: Story) -> date:
    return date.fromisoformat(str(story["date"]))


def meta_published(story: Story) -> dict[str, str]:
    return {"head": f'<meta property="article:published_time" content="{story["date"]}T08:00:00Z">'}


def og_article(story: Story) -> dict[str, str]:
    return {"head": f'<meta property="og:article:published_time" content="{story["date"]}">'}


def dc_date(story: Story) -> dict[str, str]:
    return {"head": f'<meta name="DC.date.issued" content="{_day(story):%d.%m.%Y}">'}


def json_ld(story: Story) -> dict[str, str]:
    data = {"@context": "https://schema.org", "@graph": [
        {"@type": "WebSite", "name": story["site"]},
        {"@type": "NewsArticle", "headline": story["title"], "datePublished": story["date"],
         "dateModified": "2026-01-05"}]}
    return {"head": f'<script type="application/ld+json">{json.dumps(data)}</script>'}


def upload_date(story: Story) -> dict[str, str]:
    data = {"@type": "VideoObject", "name": story["title"], "uploadDate": f"{story['date']}T09:00"}
    return {"head": f'<script type="application/ld+json">{json.dumps(data)}</script>'}


def time_tag(story: Story) -> dict[str, str]:
    day = _day(story)
    return {"byline": f'<time datetime="{story["date"]}T07:30:00+01:00">{day:%d %B %Y}</time>'}


def published_line(story: Story) -> dict[str, str]:
    return {"byline": f"<p>Published {_day(story).day} {_day(story):%B %Y}</p>"}


def byline_month_first(story: Story) -> dict[str, str]:
    day = _day(story)
    return {"byline": f'<div class="byline">By Ana Reyes | {day:%b}. {day.day}, {day.year}</div>'}


def day_first(story: Story) -> dict[str, str]:
    return {"byline": f'<p class="date">{_day(story):%d.%m.%Y}, 10:42</p>'}


def url_only(story: Story) -> dict[str, str]:
    return {"url": f"https://news.example/{_day(story):%Y/%m/%d}/{story['slug']}"}


def footer_only(story: Story) -> dict[str, str]:
    day = _day(story)
    return {"after": f'<div class="post-meta">Posted on <span class="published">{day:%B} '
                     f'{day.day}, {day.year}</span> in News</div>'}


DATE_STYLES = [meta_published, og_article, dc_date, json_ld, upload_date, time_tag,
               published_line, byline_month_first, day_first, url_only, footer_only]


# --- page furniture ------------------------------------------------------------------------------


def _head(story: Story, parts: dict[str, str], lang: str = "en", charset: str = "utf-8") -> str:
    url = parts.get("url", f"https://news.example/news/{story['slug']}")
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="{charset}">'
            f"<title>{_e(story['title'])} | {_e(story['site'])}</title>"
            f'<meta property="og:site_name" content="{_e(story["site"])}">'
            f'<link rel="canonical" href="{url}">{parts.get("head", "")}{_STYLE}{_SCRIPT}</head>')


def _e(value: object) -> str:
    return html.escape(str(value))


def _nav(tag: str = "nav") -> str:
    links = "".join(f'<li><a href="/{w.lower()}">{w}</a></li>' for w in _MENU * 3)
    return f'<{tag} class="site-nav"><ul>{links}</ul></{tag}>'


def _footer(tag: str = "footer") -> str:
    links = " | ".join(f'<a href="/{i}">{w}</a>' for i, w in enumerate(_FOOTER))
    return (f'<{tag} class="site-footer"><p>{links}</p>'
            "<p>© 2026 The Publisher. All rights reserved.</p></" + tag + ">")


def _most_read() -> str:
    items = "".join(f'<li><a href="/t{i}">{t}</a> <span class="date">{d}</span></li>'
                    for i, (t, d) in enumerate(_DECOY_TEASERS))
    return f'<div class="most-read"><h3>Most read</h3><ol>{items}</ol></div>'


def _paras(story: Story, extra: str = "") -> str:
    paragraphs = list(story["paragraphs"])  # type: ignore[call-overload]
    return "".join(f"<p>{_e(p)}</p>" for p in paragraphs) + extra


def _headline(story: Story, parts: dict[str, str]) -> str:
    return f"<h1>{_e(story['title'])}</h1>{parts.get('byline', '')}"


# --- the twelve templates ------------------------------------------------------------------------


def blog(story: Story, parts: dict[str, str]) -> str:
    related = "".join(f"<li><a href='/r{i}'>{t}</a> <time>{d}</time></li>"
                      for i, (t, d) in enumerate(_DECOY_TEASERS))
    comments = "".join(
        f"<article class='comment'><p class='meta'>Reader {i} on 2026-02-0{i}</p><p>I have "
        f"lived here for {20 + i} years and I think the council should have acted long before "
        "now, as everyone in the neighbourhood has been saying at every meeting since spring."
        "</p></article>" for i in range(1, 4))
    body = (f"<header>{_nav()}</header><main><article class='post'>{_headline(story, parts)}"
            f"<div class='entry-content'>{_paras(story)}</div>"
            "<div class='sharedaddy'><h3>Share this:</h3><ul><li><a href='/tw'>Twitter</a></li>"
            "<li><a href='/fb'>Facebook</a></li></ul></div><h3>Like this:</h3><p>Like Loading..."
            f"</p><div class='box'><h3>Related Posts</h3><ul>{related}</ul></div></article>"
            f"<section id='comments'><h2>3 thoughts on this</h2>{comments}</section></main>"
            f"{parts.get('after', '')}{_footer()}")
    return f"{_head(story, parts)}<body>{body}</body></html>"


def newspaper(story: Story, parts: dict[str, str]) -> str:
    body = (f"<div id='top'>{_nav('div')}</div><div id='wrapper'><div class='col-main'>"
            f"<div class='story-head'>{_headline(story, parts)}</div><div class='story-body'>"
            f"{_paras(story)}</div></div><div class='col-side'>{_most_read()}</div></div>"
            f"{parts.get('after', '')}{_footer('div')}")
    return f"{_head(story, parts)}<body>{body}</body></html>"


def teasers(story: Story, parts: dict[str, str]) -> str:
    cards = "".join(
        f"<article class='teaser'><h3><a href='/x{i}'>{t}</a></h3><p>{t}. The council said on "
        "Monday that residents would be consulted before any decision, and that the plans "
        "would be published in full at the town hall and online next month, with a public "
        f"meeting to follow.</p><p>Read the full story, published on {d}.</p></article>"
        for i, (t, d) in enumerate(_DECOY_TEASERS * 2))
    body = (f"{_nav()}<div class='story'>{_headline(story, parts)}{_paras(story)}</div>"
            f"<aside>{cards}</aside>{parts.get('after', '')}{_footer()}")
    return f"{_head(story, parts)}<body>{body}</body></html>"


def comment_articles(story: Story, parts: dict[str, str]) -> str:
    long_comment = " ".join(["This is exactly what happened in my street too, and the "
                             "council ignored every letter we sent about it."] * 12)
    body = (f"{_nav()}<article class='story'>{_headline(story, parts)}{_paras(story)}</article>"
            f"<section class='comments'><article class='comment'><p>Posted 2026-03-01</p><p>"
            f"{long_comment}</p></article></section>{parts.get('after', '')}{_footer()}")
    return f"{_head(story, parts)}<body>{body}</body></html>"


def empty_main(story: Story, parts: dict[str, str]) -> str:
    body = (f"<main id='skip-target'></main>{_nav()}<main class='content'>"
            f"{_headline(story, parts)}{_paras(story)}</main>{parts.get('after', '')}"
            f"{_footer()}")
    return f"{_head(story, parts)}<body>{body}</body></html>"


def aspnet_form(story: Story, parts: dict[str, str]) -> str:
    body = (f"<form id='aspnetForm' method='post' action='/page.aspx'><input type='hidden' "
            f"name='__VIEWSTATE' value='{'A' * 400}'>{_nav('div')}<div id='ctl00_content'>"
            f"{_headline(story, parts)}{_paras(story)}</div>{parts.get('after', '')}"
            f"{_footer('div')}</form>")
    return f"{_head(story, parts)}<body>{body}</body></html>"


def charset_lie(story: Story, parts: dict[str, str]) -> str:
    body = (f"{_nav()}<article>{_headline(story, parts)}"
            f"{_paras(story, f'<p>{_ACCENTED}</p>')}</article>{parts.get('after', '')}{_footer()}")
    return f"{_head(story, parts)}<body>{body}</body></html>"


def results_table(story: Story, parts: dict[str, str]) -> str:
    table = ("<table><tr><th>Year</th><th>Visitors</th></tr><tr><td>2016</td><td>41,200</td>"
             "</tr><tr><td>2017</td><td>45,900</td></tr></table>")
    body = (f"{_nav()}<article>{_headline(story, parts)}{_paras(story, table)}</article>"
            f"{parts.get('after', '')}{_footer()}")
    return f"{_head(story, parts)}<body>{body}</body></html>"


def photo_credits(story: Story, parts: dict[str, str]) -> str:
    paragraphs = list(story["paragraphs"])  # type: ignore[call-overload]
    figure = ("<figure><img src='/a.jpg' alt=''><figcaption>A view of the harbour at dawn. "
              "(Photo by Jo Roe/AFP via Getty Images)</figcaption></figure>")
    inner = "".join(f"<p>{_e(p)}</p>" for p in paragraphs[:-1])
    inner += f"<p>{_e(paragraphs[-1])} Jo Roe/Picture Alliance/Getty Images</p>"
    body = (f"{_nav()}<article>{_headline(story, parts)}{figure}{inner}</article>"
            f"{parts.get('after', '')}{_footer()}")
    return f"{_head(story, parts)}<body>{body}</body></html>"


def german_related(story: Story, parts: dict[str, str]) -> str:
    related = ("<div class='related'><h4>Mehr zum Thema</h4><ul><li><a href='/a'>Neue Fähre "
               "für Orrin</a> 03.02.2017</li><li><a href='/b'>Sturm über der Küste</a> "
               "09.12.2016</li></ul></div>")
    body = (f"{_nav()}<article>{_headline(story, parts)}{_paras(story)}{related}</article>"
            f"{parts.get('after', '')}{_footer()}")
    return f"{_head(story, parts, lang='de')}<body>{body}</body></html>"


def published_stamps(story: Story, parts: dict[str, str]) -> str:
    more = "".join(f"<li><a href='/m{i}'>{t}</a><span>- Published{d}</span></li>"
                   for i, (t, d) in enumerate(_DECOY_TEASERS))
    body = (f"{_nav()}<main><article>{_headline(story, parts)}<div>- Published</div>"
            f"{_paras(story)}</article><section><h2>Related Topics</h2><ul><li>Transport</li>"
            f"<li>Local councils</li></ul></section><section><h2>More on this story</h2><ul>"
            f"{more}</ul></section></main>{parts.get('after', '')}{_footer()}")
    return f"{_head(story, parts)}<body>{body}</body></html>"


def bare_breaks(story: Story, parts: dict[str, str]) -> str:
    paragraphs = list(story["paragraphs"])  # type: ignore[call-overload]
    text = "<br><br>".join(_e(p) for p in paragraphs)
    menu = " | ".join(f"<a href='/{w}'>{w}</a>" for w in _MENU)
    body = (f"<div class='menu'>{menu}</div><div class='text'><b>{_e(story['title'])}</b>"
            f"{parts.get('byline', '')}<br><br>{text}</div>{parts.get('after', '')}"
            f"<div class='foot'>{menu}</div>")
    return f"{_head(story, parts)}<body>{body}</body></html>"


TEMPLATES: dict[str, Callable[[Story, dict[str, str]], str]] = {
    "blog": blog, "newspaper": newspaper, "teasers": teasers, "comments": comment_articles,
    "empty-main": empty_main, "form": aspnet_form, "charset-lie": charset_lie,
    "table": results_table, "photo-credits": photo_credits, "german": german_related,
    "stamps": published_stamps, "breaks": bare_breaks,
}
_EXTRA_GOLD = {
    "charset-lie": [_ACCENTED],
    "table": ["Year | Visitors", "2016 | 41,200", "2017 | 45,900"],
}


# --- plain-text articles -------------------------------------------------------------------------


def build_texts() -> list[Page]:
    """Plain-text and Markdown articles in five shapes: a "Published" byline, a month-first
    date line, a day-first "dd/mm/yyyy hh:mm GMT" line, front matter, and a wire story whose
    first line is its first sentence (no headline, no date: it can only be dated by a rule or
    --publish-date). Files are named like the seed archive's (`000_4ea10de5.txt`)."""
    stories = json.loads(STORIES.read_text(encoding="utf-8"))
    texts = []
    for s, story in enumerate(stories):
        day = _day(story)
        body = "\n\n".join(story["paragraphs"])
        shapes = {
            "published": f"{story['title']}\n- Published {day.day} {day:%B %Y}\n\n{body}",
            "month-first": f"{story['title']}\n{day:%b}. {day.day}, {day.year}\n\n{body}",
            "day-first": f"{story['title']}\n{day:%d/%m/%Y} 10:42 GMT\n\n{body}",
            "front-matter": f"---\ntitle: {story['title']}\ndate: {story['date']}\n---\n{body}",
            "wire": f"ORRIN (Wirenews) – {body}",
        }
        for k, (shape, text) in enumerate(shapes.items()):
            suffix = ".md" if shape == "front-matter" else ".txt"
            texts.append({"file": f"{s:03d}_{k:02d}{shape[:4]}{suffix}", "shape": shape,
                          "html": text.encode(), "text": f"{story['title']}\n{body}",
                          "date": story["date"], "title": story["title"]})
    return texts
