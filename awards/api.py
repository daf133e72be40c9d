"""API of the award cycle (registered on portal.api.router)."""
