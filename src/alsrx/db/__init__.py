"""Persistence: SQLAlchemy models, engine and session setup, read queries."""
