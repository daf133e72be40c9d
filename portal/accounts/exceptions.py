class AccountError(Exception):
    """A rule refused the action; the message is for the user (Thai)."""
