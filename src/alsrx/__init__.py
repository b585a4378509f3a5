"""alsrx: evidence-based, individual exercise therapy for people with ALS."""

__version__ = "0.1.0"
