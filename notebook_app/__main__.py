"""``python -m notebook_app`` runs the command line."""

from notebook_app.cli import main

raise SystemExit(main())
