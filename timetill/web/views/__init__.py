"""Page views: home and preferences, the Timestamp page, the family page."""
