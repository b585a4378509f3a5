"""Clinical scales, one module per instrument, each citing its source."""
