"""``python -m notebook_app.cli``: the command line, as the ``notebook-app`` script runs it."""

from notebook_app.cli import main

raise SystemExit(main())
