"""JSON API routers under /api/v1."""
