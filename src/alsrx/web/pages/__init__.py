"""Server-rendered pages: the clinician workspace and the patient and caregiver app."""
