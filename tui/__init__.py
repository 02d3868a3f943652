"""The Textual TUI for cc-aws-tui. Imported only when the app starts."""
