"""Evaluation suite: question sets, metrics, batch runs against a dense baseline, HTML reports."""
