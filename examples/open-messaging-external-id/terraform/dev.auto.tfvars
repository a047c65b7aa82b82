# Values for this environment: the one file to edit before `terraform apply`.
# `bpgen render` keeps every value set here and only rewrites the comments.
# Never put a secret here: sensitive variables are read from the environment.
# Set before apply:
#   export TF_VAR_open_messaging_webhook_secret=...

# Emails of the users to add to the queue (each must be an existing user).
queue_member_emails = []

# Where Genesys Cloud posts outbound open messages (your middleware).
open_messaging_webhook_url = "https://middleware.example.com/genesys/outbound"
