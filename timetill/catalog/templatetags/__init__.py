"""Template tags of the catalogue pages."""
