"""Modules generated from ui/ and resources/: do not edit."""
