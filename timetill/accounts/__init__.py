"""Users, their named rights (Django permissions), roles (groups) and each user's home page."""
