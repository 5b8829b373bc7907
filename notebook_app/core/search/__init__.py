"""Search: the query language, the SQL it becomes, and the text the full-text index sees."""
