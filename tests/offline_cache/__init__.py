"""Tests of the offline cache."""
