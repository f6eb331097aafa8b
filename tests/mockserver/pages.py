"""The mock site's content: seeded, unique good articles and a front page linking everything."""

from __future__ import annotations

import random

WORDS = (
    "cluster university research export laboratory programme innovation region company partnership "
    "engineering pharmaceutical forest technology students investment forum governor nuclear medicine "
    "electronics software startup grant network training equipment market production"
).split()


def article_html(key: str, seed: int, charset: str = "utf-8", home: str = "/") -> str:
    """A good article: a title and three paragraphs unique to ``key``, linking to its site's front page."""
    rng = random.Random(f"{seed}:{key}")
    title = f"INO Tomsk {key}: " + " ".join(rng.choice(WORDS) for _ in range(5))
    paragraphs = "".join(
        f"<p>The INO Tomsk {key} {' '.join(rng.choice(WORDS) for _ in range(40))}.</p>" for _ in range(3)
    )
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="{charset}"><title>{title}</title></head>'
        f'<body><div class="header"><a href="{home}">INO Tomsk</a></div><div class="article"><h1>{title}</h1>'
        f"{paragraphs}</div></body></html>"
    )


def calendar_html(year: int, month: int) -> str:
    """An endless calendar: every month links to the next and the previous one."""
    nxt = (year + month // 12, month % 12 + 1)
    prv = (year - (month == 1), (month - 2) % 12 + 1)
    days = "".join(f'<a href="/calendar/{year}/{month:02d}/{d:02d}">{d}</a> ' for d in range(1, 29))
    return (
        f"<html><body><h1>Calendar {year}-{month:02d}</h1>{days}"
        f'<a href="/calendar/{prv[0]}/{prv[1]:02d}">prev</a> <a href="/calendar/{nxt[0]}/{nxt[1]:02d}">next</a>'
        "</body></html>"
    )


def index_html(links: list[str]) -> str:
    items = "".join(f'<li><a href="{link}">{link}</a></li>' for link in links)
    return f"<html><head><title>News</title></head><body><h1>News</h1><ul>{items}</ul></body></html>"


# More than the trap tests' TRAP_MAX_PER_TEMPLATE: dated paths must not count against it.
DATED_ARTICLES = 40


def dated_article_paths(seed: int) -> list[str]:
    """News-archive style article URLs, /news/YYYY/MM/DD/slug.html, many sharing a date."""
    rng = random.Random(f"{seed}:dated")
    return [
        f"/news/2024/{1 + i // 28:02d}/{1 + i % 14:02d}/{rng.choice(WORDS)}-{rng.choice(WORDS)}-{i}.html"
        for i in range(DATED_ARTICLES)
    ]
