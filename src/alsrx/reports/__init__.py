"""Printed documents: the patient's handout and the clinician's sheet as PDF (handout.py)."""
