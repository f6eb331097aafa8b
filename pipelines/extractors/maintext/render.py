"""Main text, stage 4 (*render*): paragraphs separated by blank lines, boilerplate lines out.

Link-dense blocks, lists of links under a related-links heading, headlines
and figures go; table rows become one line each; phone numbers, form
messages, share links and cookie notices are removed from the paragraphs;
binary data read as text is recognised.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

from lxml import etree

from pipelines.extractors.maintext.dom import drop, has_links, link_density, word_count

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    import lxml.html

BLOCK_TAGS = frozenset(
    "address article blockquote br dd div dl dt figcaption figure h1 h2 h3 h4 h5 h6 hr li "
    "main ol p pre section table tbody tfoot thead tr ul caption center".split()
)
# A table row is one paragraph with its cells side by side ("1 Kyle Busch 5040").
CELL_TAGS = frozenset({"td", "th"})
LINK_DENSE_BLOCK_TAGS = ("ul", "ol", "dl", "div", "section", "table", "p", "li")
MAX_BLOCK_LINK_DENSITY = 0.5
# A paragraph that is a sentence with a link in it stays however much of it the link covers ("Assange faces <a>a
# charge of conspiracy …</a>."): its own words open it and it ends as a sentence ends. A link's label after a few
# words of its own ("Read more: <a>…</a>") ends without a full stop, or after a colon.
SENTENCE_LEAD_MIN_WORDS = 2
SENTENCE_END_RE = re.compile(r"[.!?…][\"'”’»)]*$")
# Phone numbers: international ("+7 (925) 862 7050"), Russian domestic
# ("8 (3822) 51-32-22"), area code in brackets, or after a "Tel." label.
PHONE_RES = (
    re.compile(
        r"(?<!\w)(?:тел(?:ефон)?|факс|моб|phone|tel(?:ephone)?|fax|mob)\.?(?:\s+[^\W\d_]+){0,2}\s*:?\s*"
        r"\+?[\d\s()\-–]{6,}\d",
        re.IGNORECASE,
    ),
    re.compile(r"\+\d{1,3}[\s\-]*\(?\d{2,5}\)?(?:[\s\-–]*\d{1,4}){2,4}"),
    re.compile(r"\b8[\s\-]*\(\d{3,5}\)[\s\-]*\d{1,3}(?:[\s\-]?\d{2}){2}\b"),
    re.compile(r"\(\d{3,5}\)[\s\-]*\d{1,3}(?:[\s\-]\d{2}){2}\b"),
)
# "Read also" in the sources' other languages: the heading of a related-links block, or the label of one link.
READ_ALSO = r"читайте (?:также|ещё|еще)|смотрите также|по теме|lesen sie auch|à lire aussi|lire aussi"
# The heading of a block of links to other pages of the site ("You may also like", "Читайте также").
RELATED_HEADING_RE = re.compile(
    r"^(?:you (?:may|might) (?:also )?(?:like|enjoy)|related(?: posts?| articles?| stories| news| reading"
    r"| content| links)?|see also|popular on [\w.]+|trending(?: now)?|most (?:read|popular)|more"
    r"|more from [\w. ]+|more (?:great )?[\w.]* ?stories|recommended(?: for you| reading| articles| posts| stories)?"
    rf"|похожие (?:новости|статьи|материалы)|другие новости|mehr zum thema|{READ_ALSO})\s*[:.…]*$",
    re.IGNORECASE,
)
# A list after such a heading whose every item holds a link is that block's rest, whatever its share of linked words
# ("YouTubers must unionize, <a>no matter what Google says</a>"); a reference work's "See also" list is its content.
RELATED_LIST_TAGS = frozenset({"ul", "ol"})
REFERENCE_HEADING_RE = re.compile(r"^see also\b", re.IGNORECASE)
# Only short paragraphs are tested: an article may quote these words.
BOILERPLATE_LINE_MAX_CHARS = 200
BOILERPLATE_LINE_RES = (
    # contact-form outcomes
    re.compile(r"message (?:has |was )?(?:not )?(?:been )?sent|try again later|thank you for your "
               r"(?:message|request|submission)|required field", re.IGNORECASE),
    re.compile(r"сообщение (?:успешно |не |не было |было )?отправлено|попробуйте (?:ещё|еще) раз|"
               r"повторите попытку|спасибо за (?:ваше |ваш )?(?:обращение|сообщение|заявку|вопрос)|"
               r"обязательн\w+ (?:для заполнения )?пол|введите (?:код|символы|текст)", re.IGNORECASE),
    # sharing, navigation, printing: a button's label and a few words after it ("Share on Facebook", "Like 12"), or
    # a short call to share this ("Like this story? Share it with a friend!"); a sentence that starts with the word
    # is the story's ("Like most service businesses, …", "Share prices fell")
    re.compile(r"^(?:поделиться|share|tweet|рассказать друзьям|нравится|like)\b(?:\W+\w+){0,5}\W*$"
               r"|^(?:share|like|tweet)\s+(?:this|it|us|on|via)\b(?:\W+\w+){0,10}\W*$", re.IGNORECASE),
    re.compile(r"^(?:←|back to|назад|вернуться|все новости|all news|more news|read more|"
               r"читать далее|подробнее|версия для печати|print(?:able)? version|contact us|"
               r"свяжитесь с нами|обратная связь|комментарии|comments|оставить комментарий|"
               r"leave a comment|tags?:|теги:|метки:)", re.IGNORECASE),
    # the heading of a related-links block, left alone once its links went ("You may also like", "Читайте также")
    RELATED_HEADING_RE,
    # a link's label left without its page ("Read full review", "View full profile") and a table of contents' title
    re.compile(r"^(?:read|see|view) (?:the )?full (?:review|article|story|post|report|profile|bio)\b\W*$"
               r"|^(?:table of contents|contents|содержание|inhaltsverzeichnis|in this article|on this page"
               r"|jump to)\s*:?$", re.IGNORECASE),
    # a link to another story with its label ("Related: PPE Inspections …", "Читайте также: …")
    re.compile(rf"^(?:related(?: posts?| articles?| stories| story| reading| content)?|read also|{READ_ALSO})\s*:\s*\S",
               re.IGNORECASE),
    # an advertisement's label left where the advertisement was
    re.compile(r"^(?:advertisement|advertising|sponsored(?: content)?|anzeige|реклама|iklan|publicidad|publicité"
               r"|pubblicità)\s*$", re.IGNORECASE),
    # the author's contact line: an address alone, a profile alone, "… may be reached at …"
    re.compile(r"^(?:[\w.+-]+@[\w-]+(?:\.[\w-]+)+|(?:https?://)?(?:www\.)?(?:twitter\.com|x\.com|facebook\.com"
               r"|instagram\.com|t\.me|vk\.com)/[\w.]+/?)$|\b(?:may|can) be (?:reached|contacted) at\b"
               r"|^follow (?:him|her|them|me) (?:on|at)\b", re.IGNORECASE),
    # calls to subscribe or follow
    re.compile(r"^(?:subscribe|sign up|follow (?:us|on))\b"
               r"|\b(?:subscribe|sign up)\b.{0,40}\b(?:our|updates|emails?|newsletters?|below|here|now|today)\b"
               r"|подпис(?:ывайтесь|ывайся|аться|шитесь)\b.{0,40}\b(?:наш|рассылк|канал|новост)",
               re.IGNORECASE),
    # the site's standing notices: how to report a typo (Russian news CMSs' "Orphus": "Нашли ошибку? Выделите
    # текст и нажмите Ctrl+Enter") and the terms of reprinting ("При использовании материалов ссылка обязательна")
    re.compile(r"(?:ошибк|опечатк|typo|mistake|error).{0,80}ctrl\s*\+\s*enter|ctrl\s*\+\s*enter.{0,80}(?:ошибк|опечатк)"
               r"|(?:при|в случае) (?:полном или частичном |частичном или полном )?(?:использовании|перепечатке"
               r"|копировании|цитировании) (?:материалов|информации)|(?:перепечатка|копирование|использование) "
               r"(?:материалов|информации).{0,60}(?:запрещен|разрешен|только с|допускается)", re.IGNORECASE),
    # cookies and rights
    re.compile(r"(?:use|uses|используем|использует)\s+(?:the\s+)?(?:файлы\s+)?(?:cookie|куки)", re.IGNORECASE),
    re.compile(r"^(?:©|\(c\)|copyright)|all rights reserved|все права защищены", re.IGNORECASE),
)
# Binary data decoded as text is full of symbols (€‰¤¶…) and U+FFFD.
GARBAGE_SAMPLE_CHARS = 2000
GARBAGE_MAX_SHARE = 0.15
LETTER_RE = re.compile(r"[^\W\d_]")
# Cheap test that a paragraph may hold a phone number at all.
DIGITS_RE = re.compile(r"\d\D{0,3}\d\D{0,3}\d")


def render_blocks(blocks: Iterable[lxml.html.HtmlElement]) -> Iterator[str]:
    """Raw paragraphs of the blocks, after link-dense sub-blocks and headings go."""
    for block in blocks:
        strip_related_lists(block)
        strip_link_dense(block)
        # The headline has its own field; pictures go, a table set in a <figure> stays (without its caption).
        for figure in list(block.iter("figure")):
            if figure.find(".//table") is None:
                drop(figure)
        etree.strip_elements(block, "h1", "header", "figcaption", with_tail=False)
        yield from split_paragraphs(block)


def strip_related_lists(block: lxml.html.HtmlElement) -> None:
    """Remove a list of links that follows a related-links heading ("More Great WIRED Stories", "Читайте также").

    >>> from lxml.html import fragment_fromstring
    >>> items = "<li>A story, <a href='/a'>read it</a></li><li>Another, <a href='/b'>here</a></li>"
    >>> block = fragment_fromstring(f"<div><p>Text.</p><h3>Related stories</h3><ul>{items}</ul></div>")
    >>> strip_related_lists(block)
    >>> [element.tag for element in block]
    ['p', 'h3']
    """
    for element in list(block.iter(*RELATED_LIST_TAGS)):
        heading = element.getprevious()
        if heading is None or not isinstance(heading.tag, str) or heading.tag == "a":
            continue
        items = element.findall("li")
        if not items or any(item.find(".//a[@href]") is None for item in items):
            continue
        title = " ".join(heading.text_content().split())
        if len(title) > BOILERPLATE_LINE_MAX_CHARS or REFERENCE_HEADING_RE.search(title):
            continue
        if RELATED_HEADING_RE.search(title):
            drop(element)


def strip_link_dense(block: lxml.html.HtmlElement) -> None:
    """Remove lists of links (related news, tag clouds, "back" links) inside the block."""
    for element in list(block.iter(*LINK_DENSE_BLOCK_TAGS)):
        if element is not block and element.getparent() is not None and has_links(element):
            if link_density(element) > MAX_BLOCK_LINK_DENSITY and not is_linked_sentence(element):
                drop(element)


def is_linked_sentence(element: lxml.html.HtmlElement) -> bool:
    """True for a paragraph that is a sentence of its own words with a link inside, not a link with a label.

    >>> from lxml.html import fragment_fromstring
    >>> is_linked_sentence(fragment_fromstring("<p>Assange faces <a href='/c'>a charge of conspiracy</a>.</p>"))
    True
    >>> is_linked_sentence(fragment_fromstring("<p>Read more: <a href='/s'>Fund names a director.</a></p>"))
    False
    """
    if element.tag != "p":
        return False
    lead = element.text or ""
    return (word_count(lead) >= SENTENCE_LEAD_MIN_WORDS and not lead.rstrip().endswith(":")
            and SENTENCE_END_RE.search(element.text_content().rstrip()) is not None)


def split_paragraphs(block: lxml.html.HtmlElement) -> list[str]:
    """Text of ``block`` cut at block-level element boundaries."""
    parts: list[str] = []
    for event, element in etree.iterwalk(block, events=("start", "end")):
        separator = "\n\n" if element.tag in BLOCK_TAGS else " " if element.tag in CELL_TAGS else ""
        if event == "start":
            parts.append(separator)
            parts.append(element.text or "")
        else:
            parts.append(separator)
            if element is not block:
                parts.append(element.tail or "")
    return "".join(parts).split("\n\n")


def clean_paragraphs(raw: Iterable[str]) -> list[str]:
    """Whitespace-normalised paragraphs without phone numbers and boilerplate lines."""
    paragraphs = []
    for paragraph in raw:
        text = strip_phones(" ".join(paragraph.split()))
        if LETTER_RE.search(text) and not is_boilerplate_line(text):
            paragraphs.append(text)
    return paragraphs


def strip_phones(text: str) -> str:
    """Remove phone numbers (and their "Tel." labels) from a paragraph.

    >>> strip_phones("Call +7 (925) 862 7050 or 8 (3822) 51-32-22 today")
    'Call or today'
    >>> strip_phones("Intel shipped 13 900 000 chips")  # the "tel" of a word is no label
    'Intel shipped 13 900 000 chips'
    >>> strip_phones("Call them by telephone on +49 (0)9546-9223-20 or by e-mail.")
    'Call them by or by e-mail.'
    """
    if not DIGITS_RE.search(text):
        return text
    for pattern in PHONE_RES:
        text = pattern.sub(" ", text)
    return " ".join(text.split())


def is_boilerplate_line(text: str) -> bool:
    """True for a short paragraph that is a form message, share link, cookie notice…

    >>> is_boilerplate_line("Sorry, your message has not been sent.")
    True
    >>> is_boilerplate_line("Ваше сообщение отправлено")
    True
    """
    if len(text) > BOILERPLATE_LINE_MAX_CHARS:
        return False
    return any(pattern.search(text) for pattern in BOILERPLATE_LINE_RES)


def is_garbage(text: str) -> bool:
    """True for binary data decoded as text: many symbols or replacement characters.

    >>> is_garbage("Обычный текст, с пунктуацией и цифрами 2016.")
    False
    >>> is_garbage("%PDF-1.4 \ufffd\ufffd\u2021\u20ac\u2030\u00a4\u00b6\u00a7\u2122 xq\ufffd")
    True
    """
    sample = "".join(text[:GARBAGE_SAMPLE_CHARS].split())
    if not sample:
        return True
    odd = sum(unicodedata.category(char)[0] in "SC" or char == "\ufffd" for char in sample)
    return odd > GARBAGE_MAX_SHARE * len(sample)
