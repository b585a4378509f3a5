"""FHIR R4B and CSV exchange: a shell around the domain (fhir.resources is a framework here)."""
