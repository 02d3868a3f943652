"""The profile itself: its schema and models, the environment it plans, the shell code that
applies it, and the small foundations every other part uses (safe text, deadlines, child
processes). Standard library only, except `models` (pydantic, write paths only)."""
