"""One screen per module: the home screen, one per wizard step, and dialogs."""
