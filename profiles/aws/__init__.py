"""AWS as cc-aws-tui sees it: the shared config and credentials files, profile discovery,
the SSO token cache, and credential resolution in a killable child process."""
