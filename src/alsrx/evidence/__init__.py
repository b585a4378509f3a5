"""The evidence base: references, guidance and the review's recommendations, as validated data."""
