"""Per-source selectors from the sources config, tried before the generic extractors.

A source may name where its pages keep the headline, the date and the body:

    selectors = { title = "h3.header-title", body = "div.asset-content", date = "span.date" }

Each value is a CSS selector, or an XPath expression when it starts with ``/``,
``./`` or ``(``.  They are compiled once per source; a selector that does not
compile is a configuration error naming the source and the field.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo
from typing import TYPE_CHECKING

from cssselect import HTMLTranslator
from cssselect import SelectorError as CssError
from lxml import etree

if TYPE_CHECKING:
    from collections.abc import Mapping

    import lxml.html

SELECTOR_FIELDS = ("title", "date", "body")
XPATH_PREFIXES = ("/", "./", "(")


class SelectorError(ValueError):
    """A selector is not valid CSS or XPath, or names an unknown field (the sources config reports it as a SourceError)."""


@dataclass(frozen=True)
class SourceRules:
    """A source's compiled selectors, and its time zone; ``None`` where the config names none."""

    title: etree.XPath | None = None
    date: etree.XPath | None = None
    body: etree.XPath | None = None
    # UTC timestamps on the source's pages are read as dates in this zone (``timezone`` in the config).
    timezone: tzinfo | None = None


NO_RULES = SourceRules()


def compile_selector(expression: str) -> etree.XPath:
    """Compile a CSS selector or an XPath expression into an ``etree.XPath``.

    >>> from scraper.decode.tree import parse_html
    >>> tree = parse_html("<div class='a b'><h3>Headline</h3></div>")
    >>> [el.text for el in compile_selector("div.b > h3")(tree)]
    ['Headline']
    >>> [el.text for el in compile_selector("//h3")(tree)]
    ['Headline']
    """
    text = expression.strip()
    try:
        if text.startswith(XPATH_PREFIXES):
            return etree.XPath(text)
        return etree.XPath(HTMLTranslator().css_to_xpath(text))
    except (CssError, etree.XPathSyntaxError) as exc:
        raise SelectorError(f"not a valid CSS selector or XPath expression: {expression!r} ({exc})") from exc


def compile_rules(source: str, selectors: Mapping[str, str], timezone: tzinfo | None = None) -> SourceRules:
    """Compile one source's ``selectors`` table; unknown fields and bad selectors are errors."""
    unknown = sorted(set(selectors) - set(SELECTOR_FIELDS))
    if unknown:
        raise SelectorError(f"source {source}: unknown selector field(s) {', '.join(unknown)}; "
                            f"expected {', '.join(SELECTOR_FIELDS)}")
    compiled = {}
    for name, expression in selectors.items():
        try:
            compiled[name] = compile_selector(expression)
        except SelectorError as exc:
            raise SelectorError(f"source {source}: {name} selector: {exc}") from exc
    return SourceRules(**compiled, timezone=timezone)


def select_elements(tree: lxml.html.HtmlElement, selector: etree.XPath | None) -> list[lxml.html.HtmlElement]:
    """The elements ``selector`` matches (attributes and strings are skipped)."""
    if selector is None or tree is None:
        return []
    try:
        found = selector(tree)
    except etree.XPathEvalError:
        return []
    return [node for node in found if isinstance(getattr(node, "tag", None), str)] if isinstance(found, list) else []


def select_text(tree: lxml.html.HtmlElement, selector: etree.XPath | None) -> str | None:
    """Whitespace-normalised text of the first matching element that has any.

    >>> from scraper.decode.tree import parse_html
    >>> select_text(parse_html("<h3 class='t'> Big\\n day </h3>"), compile_selector("h3.t"))
    'Big day'
    """
    for element in select_elements(tree, selector):
        text = " ".join(element.text_content().split())
        if text:
            return text
    return None
