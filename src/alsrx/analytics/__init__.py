"""Cohort analytics: progression models, group comparisons and disclosure control.

Pure: values in, values out (numpy, scipy, statsmodels and pandas allowed; no database, files,
clock or settings). Services gather the data; pages and exports render the results.
"""
