"""The project's one generic spider lives in news.py."""
