"""Measuring a pipeline: strict scoring, gold loading, error analysis and HTML reports."""
