"""The back office's pages, one module per part."""
