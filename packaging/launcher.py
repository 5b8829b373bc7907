"""The frozen binary's entry point: the same command line as ``notebook-app``."""

from notebook_app.cli import main

raise SystemExit(main())
