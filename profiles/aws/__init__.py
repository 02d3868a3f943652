"""AWS as cc-aws-tui sees it: the shared files' locations (`paths`), read as Claude Code reads
them (`jsini`, the AWS SDK for JavaScript v3's rules) and as the AWS CLI does (`ini`,
`botoview`, botocore's rules), the profiles and where the two views differ (`profiles`,
`model`), SSO tokens and login (`sso`), regions (`regions`), and credential resolution in a
killable child process (`creds`)."""
