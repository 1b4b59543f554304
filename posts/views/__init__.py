"""The site's pages: thin class-based views over `Post.objects.published()`."""
