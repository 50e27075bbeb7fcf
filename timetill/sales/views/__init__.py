"""The till's pages: the list of a site's sales, one sale and its actions, the receipt."""
