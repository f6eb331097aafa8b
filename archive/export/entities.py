"""Entity datasets: the co-occurrence network (GraphML, GEXF) and the monthly timeline (CSV).

Network: one node per person or organisation named in the exported articles
(attributes: kind, name, articles), one undirected edge per pair named in the
same article, ``weight`` = the number of articles naming both.  Both formats
are written here with the standard library (no networkx needed to write;
networkx and Gephi read them).  Timeline: mentions and articles per entity per
month of publication; undated articles are left out and counted.
Files are written next to their target as ``.part`` and renamed when complete.
"""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from sqlalchemy import Select, distinct, func, select
from sqlalchemy.orm import Session

from archive.errors import ExportError
from archive.export.datasets import output
from archive.knowledge import clean_text
from archive.models import Article, Entity, Mention

NETWORK_KINDS = ("person", "org")
NETWORK_FORMATS = (".graphml", ".gexf")
TIMELINE_FIELDS = ("month", "kind", "name", "mentions", "articles")


@dataclass(frozen=True)
class Network:
    nodes: dict[int, dict[str, Any]]  # entity id -> kind, name, articles
    edges: Counter  # (id, id) with id_a < id_b -> articles naming both


def _scope(stmt: Select[Any], include_all: bool) -> Select[Any]:
    return stmt if include_all else stmt.where(Article.is_relevant.is_(True))


def build_network_query(*, include_all: bool = False) -> Select[Any]:
    """Distinct (article, entity) pairs for people and organisations, by article."""
    stmt = (
        select(Mention.article_id, Entity.id, Entity.kind, Entity.name)
        .distinct()
        .join(Entity, Entity.id == Mention.entity_id)
        .join(Article, Article.id == Mention.article_id)
        .where(Entity.kind.in_(NETWORK_KINDS))
        .order_by(Mention.article_id, Entity.id)
    )
    return _scope(stmt, include_all)


def co_occurrence(session: Session, *, include_all: bool = False) -> Network:
    """Nodes and weighted edges of the co-occurrence network."""
    nodes: dict[int, dict[str, Any]] = {}
    edges: Counter = Counter()
    by_article: dict[int, list[int]] = defaultdict(list)
    for article_id, entity_id, kind, name in session.execute(build_network_query(include_all=include_all)):
        # XML 1.0 cannot hold control characters or U+FFFE, whatever an older archive stored.
        node = nodes.setdefault(entity_id, {"kind": clean_text(kind), "name": clean_text(name), "articles": 0})
        node["articles"] += 1
        by_article[article_id].append(entity_id)
    for members in by_article.values():
        edges.update(combinations(sorted(members), 2))
    return Network(nodes, edges)


def export_network(session: Session, path: Path | str, *, include_all: bool = False) -> tuple[int, int]:
    """Write the network as GraphML or GEXF (by the file's suffix); returns (nodes, edges)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in NETWORK_FORMATS:
        raise ExportError(f"cannot tell the format of {path.name}: use a .graphml or .gexf file name")
    network = co_occurrence(session, include_all=include_all)
    tree = graphml(network) if suffix == ".graphml" else gexf(network)
    ET.indent(tree)
    with output(path) as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        out.write(ET.tostring(tree.getroot(), encoding="unicode"))
        out.write("\n")
    return len(network.nodes), len(network.edges)


def graphml(network: Network) -> ET.ElementTree:
    root = ET.Element("graphml", xmlns="http://graphml.graphdrawing.org/xmlns")
    for key, owner, kind in (("kind", "node", "string"), ("name", "node", "string"),
                             ("articles", "node", "int"), ("weight", "edge", "int")):
        ET.SubElement(root, "key", {"id": key, "for": owner, "attr.name": key, "attr.type": kind})
    graph = ET.SubElement(root, "graph", id="co-occurrence", edgedefault="undirected")
    for entity_id, attrs in sorted(network.nodes.items()):
        node = ET.SubElement(graph, "node", id=f"e{entity_id}")
        for key in ("kind", "name", "articles"):
            ET.SubElement(node, "data", key=key).text = str(attrs[key])
    for (a, b), weight in sorted(network.edges.items()):
        edge = ET.SubElement(graph, "edge", source=f"e{a}", target=f"e{b}")
        ET.SubElement(edge, "data", key="weight").text = str(weight)
    return ET.ElementTree(root)


def gexf(network: Network) -> ET.ElementTree:
    root = ET.Element("gexf", xmlns="http://gexf.net/1.3", version="1.3")
    graph = ET.SubElement(root, "graph", defaultedgetype="undirected", mode="static")
    attributes = ET.SubElement(graph, "attributes", {"class": "node"})
    ET.SubElement(attributes, "attribute", id="0", title="kind", type="string")
    ET.SubElement(attributes, "attribute", id="1", title="articles", type="integer")
    nodes = ET.SubElement(graph, "nodes")
    for entity_id, attrs in sorted(network.nodes.items()):
        node = ET.SubElement(nodes, "node", id=f"e{entity_id}", label=attrs["name"])
        values = ET.SubElement(node, "attvalues")
        ET.SubElement(values, "attvalue", {"for": "0", "value": attrs["kind"]})
        ET.SubElement(values, "attvalue", {"for": "1", "value": str(attrs["articles"])})
    edges = ET.SubElement(graph, "edges")
    for index, ((a, b), weight) in enumerate(sorted(network.edges.items())):
        ET.SubElement(edges, "edge", id=str(index), source=f"e{a}", target=f"e{b}", weight=str(weight))
    return ET.ElementTree(root)


def build_timeline_query(*, include_all: bool = False) -> Select[Any]:
    """Mentions and articles per entity per publication date (months are cut in Python)."""
    stmt = (
        select(
            Article.published,
            Entity.kind,
            Entity.name,
            func.count(Mention.id).label("mentions"),
            func.count(distinct(Mention.article_id)).label("articles"),
        )
        .join(Mention, Mention.entity_id == Entity.id)
        .join(Article, Article.id == Mention.article_id)
        .group_by(Article.published, Entity.kind, Entity.name)
    )
    return _scope(stmt, include_all)


def timeline_rows(session: Session, *, include_all: bool = False) -> tuple[list[dict[str, Any]], int]:
    """(rows by month, kind, name; count of undated article-entity groups left out)."""
    months: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0])
    undated = 0
    for published, kind, name, mentions, articles in session.execute(build_timeline_query(include_all=include_all)):
        if published is None:
            undated += articles
            continue
        counts = months[(published.strftime("%Y-%m"), kind, name)]
        counts[0] += mentions
        counts[1] += articles  # an article has one date, so per-day article counts add up
    rows = [
        {"month": month, "kind": kind, "name": name, "mentions": m, "articles": a}
        for (month, kind, name), (m, a) in sorted(months.items())
    ]
    return rows, undated


def export_timeline(session: Session, path: Path | str, *, include_all: bool = False) -> tuple[int, int]:
    """Write the timeline CSV; returns (rows written, undated article-entity pairs left out)."""
    rows, undated = timeline_rows(session, include_all=include_all)
    with output(Path(path)) as out:
        _write(out, rows)
    return len(rows), undated


def _write(out: Any, rows: Iterable[dict[str, Any]]) -> None:
    writer = csv.DictWriter(out, fieldnames=TIMELINE_FIELDS)
    writer.writeheader()
    writer.writerows(rows)
