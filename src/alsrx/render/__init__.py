"""Turning domain results into JSON documents, text reports and messages, in a language."""
