# Values for this environment: the one file to edit before `terraform apply`.
# `bpgen render` keeps every value set here and only rewrites the comments.
# Never put a secret here: sensitive variables are read from the environment.
# Set before apply:
#   export TF_VAR_open_messaging_webhook_secret=...

# Division of every object. Looked up by name at plan time, so a typo fails before anything is created.
division_name = "Support: EMEA #1"

# Domains allowed to load Messenger. Empty allows every domain.
messenger_allowed_domains = ["*.example.com"]

# Where Genesys Cloud posts outbound open messages (your middleware).
open_messaging_webhook_url = "https://hooks.example.com/gc"
