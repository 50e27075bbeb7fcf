"""The catalogue's back-office pages: products, tariffs (editor, preview, import, export), sites' choices."""
