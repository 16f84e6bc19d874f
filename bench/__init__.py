"""Benchmarks (`make bench`): each prints figures and ratios measured in one run. Never timed tests."""
