# Values for this environment: the one file to edit before `terraform apply`.
# `bpgen render` keeps every value set here and only rewrites the comments.
# Never put a secret here: sensitive variables are read from the environment.

# Emails of the users to add to the queue (each must be an existing user).
queue_member_emails = ["agent.one@example.com"]

# Domains allowed to load Messenger. Empty allows every domain.
messenger_allowed_domains = ["www.example.com", "support.example.com"]
