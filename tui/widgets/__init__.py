"""Reusable widgets of the cc-aws-tui app."""
