"""Fetching, text extraction, normalisation and fact extraction for dgwatch."""
