"""AWS as cc-aws-tui sees it: the shared files' locations and format (`paths`, `ini`), profile
discovery (`profiles`), SSO tokens and login (`sso`), and credential resolution in a killable
child process (`creds`)."""
