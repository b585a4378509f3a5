"""Turning untrusted input (JSON documents) into domain values, or into named field errors."""
