"""`python -m archive.cli` runs the command line (the tests use it)."""

from archive.cli import main

main()
