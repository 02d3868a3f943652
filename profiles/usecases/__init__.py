"""What a person does to profiles (save, update, rename, delete, make current), each as one
transaction over the store; the CLI and the TUI both call these."""
