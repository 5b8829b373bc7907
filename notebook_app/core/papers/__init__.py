"""Papers: arXiv ids from URLs, BibTeX in and out, reading statistics and related entries."""
