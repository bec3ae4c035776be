"""`python -m api.cli`: the `sunlight` command, as serve starts its children."""

from api.cli import main

main()
