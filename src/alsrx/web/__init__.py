"""The web edge: JSON API (and, later, pages) over the same services."""
