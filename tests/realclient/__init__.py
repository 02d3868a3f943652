"""The real Claude Code CLI (from npm), run inside a network namespace of its own against the
project's fake platform: what cc-aws-tui calls "ready" is checked against what the client sends.
"""
