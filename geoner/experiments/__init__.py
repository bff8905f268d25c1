"""Experiments that train several pipelines: the benchmark, k-fold, learning curve and speed."""
