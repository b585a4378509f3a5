"""Reference equations, one module per equation family, each citing its source."""
