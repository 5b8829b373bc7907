"""The entry model: kinds, statuses, tags, the entry and its fields, and listing types."""
