"""The architecture holds: import contracts kept, a back-edge caught, and the documented tree true.

The contracts live in ``pyproject.toml`` (``[tool.importlinter]``) and are
checked by import-linter, run in a subprocess from a copy of the project so a
deliberately broken copy can show that a back-edge fails the suite.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("archive", "scraper", "pipelines")
LINT = "import sys; from importlinter.cli import lint_imports; sys.exit(lint_imports(no_cache=True, no_logo=True))"


def _lint(project: Path) -> subprocess.CompletedProcess[str]:
    # The project's folder first on sys.path, so the copy's packages are the ones analysed.
    env = {"PYTHONPATH": str(project), "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, "-c", LINT], cwd=project, env=env, capture_output=True, text=True, timeout=300)


def _copy_project(to: Path) -> Path:
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "demo_site", "templates", "static")
    for package in PACKAGES:
        shutil.copytree(ROOT / package, to / package, ignore=ignore)
    shutil.copy(ROOT / "pyproject.toml", to / "pyproject.toml")
    return to


def test_every_import_contract_is_kept():
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    kept = re.search(r"Contracts: (\d+) kept, (\d+) broken", result.stdout)
    assert kept and int(kept.group(1)) >= 20 and kept.group(2) == "0", result.stdout


@pytest.mark.parametrize(
    ("module", "back_edge", "contract"),
    [
        ("archive/stats.py", "from scraper.items import ArticleItem", "The archive library (keep and read) imports neither"),
        ("scraper/spiders/news.py", "from pipelines.exceptions import ListingPage", "The crawler imports neither"),
        ("archive/db/engine.py", "from archive.search import search", "The archive library is layered"),
        ("pipelines/text.py", "from pipelines.dates import DatesPipeline", "Each pipeline stage stands alone"),
        ("archive/cli/search.py", "from archive.search.query import SearchQuery", "Only archive.search imports its own modules"),
    ],
)
def test_a_back_edge_breaks_its_contract(tmp_path, module, back_edge, contract):
    project = _copy_project(tmp_path)
    target = project / module
    target.write_text(target.read_text() + f"\n{back_edge}  # a back-edge\n")
    result = _lint(project)
    assert result.returncode == 1
    broken = result.stdout.split("Broken contracts", 1)[-1]
    assert contract in broken.replace("\n", " ")
    assert "Contracts: " in result.stdout and " 1 broken" in result.stdout


def _documented_tree() -> set[str]:
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    block = re.search(r"```text\n(.*?)```", text, re.S).group(1)
    stack: list[tuple[int, str]] = []
    found = set()
    for line in block.splitlines():
        entry = re.match(r"( *)([\w]+)/ ", line + " ")
        if not entry:
            continue
        depth = len(entry.group(1))
        while stack and stack[-1][0] >= depth:
            stack.pop()
        path = "/".join([name for _, name in stack] + [entry.group(2)])
        stack.append((depth, entry.group(2)))
        found.add(path)
    return found


def test_the_architecture_doc_names_every_package_and_only_those():
    on_disk = {
        str(init.parent.relative_to(ROOT))
        for package in PACKAGES
        for init in (ROOT / package).rglob("__init__.py")
    }
    assert _documented_tree() == on_disk


def test_every_package_says_what_it_is_for():
    for package in PACKAGES:
        for init in (ROOT / package).rglob("__init__.py"):
            text = init.read_text(encoding="utf-8").lstrip()
            assert text.startswith('"""'), f"{init.relative_to(ROOT)} has no docstring"


def test_no_test_or_benchmark_helper_ships_in_the_product():
    product = "\n".join(p.read_text(encoding="utf-8") for package in PACKAGES for p in (ROOT / package).rglob("*.py"))
    assert not re.search(r"^\s*(from|import) (tests|benchmarks|mockserver)\b", product, re.M)
