"""One URL per article: normalise URLs and honour the page's own canonical link.

The same article is reached with tracking parameters, fragments, mixed-case
hosts and default ports; ``canonicalize_url`` removes those differences without
touching parameters that change the content (``lang``, ``id``, …).
``find_canonical_url`` trusts ``<link rel=canonical>`` and ``og:url`` only when
they point to an http(s) page on the same site, and never to the bare homepage,
a frequent CMS template mistake.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

if TYPE_CHECKING:
    import lxml.html

logger = logging.getLogger(__name__)

DEFAULT_PORTS = {"http": 80, "https": 443}
# Parameters added by analytics and mailing tools; they never change the page.
TRACKING_PARAM_RE = re.compile(
    r"^(utm_\w+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|yclid|ysclid|_openstat|"
    r"mc_cid|mc_eid|igshid|_ga|_gl|_hsenc|_hsmi|mkt_tok|oly_anon_id|oly_enc_id|"
    r"vero_id|wickedid|rb_clickid|s_cid|ref_src|frommail)$",
    re.IGNORECASE,
)
# Second-level labels sold as registries of their own (a small, relevant part of
# the Public Suffix List): "news.tomsk.ru" and "ino.tomsk.ru" are different sites.
PUBLIC_SECOND_LEVEL = frozenset(
    {
        "com.ru", "net.ru", "org.ru", "pp.ru", "msk.ru", "spb.ru", "tomsk.ru", "nsk.ru",
        "co.uk", "org.uk", "ac.uk", "gov.uk", "com.au", "co.jp", "com.cn", "com.ua",
        "co.il", "com.br", "co.in", "co.kr", "com.tr", "com.kz",
    }
)
CANONICAL_XPATHS = (
    "//link[contains(concat(' ', normalize-space(translate(@rel, 'CANONIL', 'canonil')), ' '),"
    " ' canonical ')]/@href",
    "//meta[@property='og:url' or @name='og:url']/@content",
)


def canonicalize_url(url: str) -> str:
    """Normalise ``url`` so that trivially different spellings compare equal.

    >>> canonicalize_url("HTTP://WWW.Example.COM:80/a/b?utm_source=x&lang=en&fbclid=1#top")
    'http://www.example.com/a/b?lang=en'
    >>> canonicalize_url("https://example.com")
    'https://example.com/'
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    netloc = normalize_netloc(scheme, parts)
    path = parts.path or ("/" if netloc else "")
    return urlunsplit((scheme, netloc, path, clean_query(parts.query), ""))


def normalize_netloc(scheme: str, parts) -> str:
    """Lowercase the host, keep user info, and drop the scheme's default port."""
    host = (parts.hostname or "").rstrip(".")
    try:
        port = parts.port
    except ValueError:  # a port that is not a number: keep the host only
        port = None
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    if port is not None and port != DEFAULT_PORTS.get(scheme):
        host = f"{host}:{port}"
    userinfo = parts.netloc.rpartition("@")[0]
    return f"{userinfo}@{host}" if userinfo else host


def clean_query(query: str) -> str:
    """Drop tracking parameters, keep the others in their order.

    >>> clean_query("id=5&utm_medium=mail&ysclid=abc&lang=ru")
    'id=5&lang=ru'
    """
    if not query:
        return ""
    pairs = parse_qsl(query, keep_blank_values=True)
    kept = [(key, value) for key, value in pairs if not TRACKING_PARAM_RE.match(key)]
    if len(kept) == len(pairs):
        return query  # untouched, so unusual encodings survive as they were
    return urlencode(kept)


def find_canonical_url(tree: lxml.html.HtmlElement | None, page_url: str) -> str:
    """Return the page's declared canonical URL when trustworthy, else ``page_url``.

    Always canonicalised.
    """
    if tree is not None:
        for xpath in CANONICAL_XPATHS:
            for href in tree.xpath(xpath):
                candidate = acceptable_canonical(str(href), page_url)
                if candidate:
                    return canonicalize_url(candidate)
    return canonicalize_url(page_url)


def acceptable_canonical(href: str, page_url: str) -> str | None:
    """Resolve ``href`` against ``page_url`` and return it if it may replace it.

    >>> acceptable_canonical("/news/1", "http://www.site.ru/news/1?x=1")
    'http://www.site.ru/news/1'
    >>> acceptable_canonical("https://other.org/news/1", "http://site.ru/news/1") is None
    True
    >>> acceptable_canonical("http://site.ru/", "http://site.ru/news/1") is None
    True
    """
    href = href.strip()
    if not href:
        return None
    resolved = urljoin(page_url, href)
    target, page = urlsplit(resolved), urlsplit(page_url)
    if target.scheme not in DEFAULT_PORTS:
        return None
    if registered_domain(target.hostname) != registered_domain(page.hostname):
        logger.debug("ignoring canonical %s on another site than %s", resolved, page_url)
        return None
    if is_homepage(target) and not is_homepage(page):
        return None
    return resolved


def registered_domain(host: str | None) -> str:
    """The registrable part of ``host`` (approximation of the Public Suffix List).

    >>> registered_domain("www.ino-tomsk.ru")
    'ino-tomsk.ru'
    >>> registered_domain("news.tomsk.ru")
    'news.tomsk.ru'
    """
    labels = (host or "").lower().rstrip(".").split(".")
    keep = 3 if ".".join(labels[-2:]) in PUBLIC_SECOND_LEVEL else 2
    return ".".join(labels[-keep:])


def is_homepage(parts) -> bool:
    """True for ``/``, ``/index.html`` and similar without a query."""
    path = parts.path.rstrip("/").lower()
    return not parts.query and path in ("", "/index.html", "/index.php", "/index.htm", "/default.aspx")
