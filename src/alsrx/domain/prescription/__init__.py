"""The exercise-prescription engine: from a patient's state to a safe, individual prescription.

Pure: `engine.prescribe(case, settings)` takes values and returns values. Every rule cites its
evidence by id (alsrx.evidence data); `bounds.violations` states the safety invariants that the
tests check over generated patients.
"""
