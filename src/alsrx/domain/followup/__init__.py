"""Home follow-up: tolerance and safety signals, adherence, course, adjustment proposals.

Pure functions of values, with `today` passed in; nothing here reads a clock.
"""
