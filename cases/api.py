"""API of public model projects and lessons (registered on portal.api.router)."""
