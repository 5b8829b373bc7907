"""Two-way sync of the notebook with a markdown folder (no Qt): ``engine`` decides and applies
one pass, ``files`` reads and writes the folder safely, ``report`` says what happened."""
