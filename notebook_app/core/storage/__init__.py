"""Storage: the one place a database is opened, its migrations, the notebook API, tags."""
