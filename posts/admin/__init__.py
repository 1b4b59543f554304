"""The admin, where writers edit everything; one module per part of the site."""
