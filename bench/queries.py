"""Count the SQL queries each benchmarked page needs (page cache off), e.g. at 10,000 posts:

DATABASE_URL=postgres://postgres@127.0.0.1:5432/blogsite_ops_bench python -m bench.queries
"""

import os
import re


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "blogsite.settings")
    os.environ["PAGE_CACHE_ENABLED"] = "false"
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    listing = client.get("/page/500/")
    listing = listing if listing.status_code == 200 else client.get("/")
    post = re.search(r'href="(/posts/[^"]+/)"', listing.content.decode()).group(1)
    tag = re.search(r'href="(/tags/[^"/]+/)"', client.get(post).content.decode()).group(1)
    paths = ["/", "/page/500/", post, tag, "/search/?q=attention+gradient", "/feeds/atom/"]
    paths += ["/tags/", "/archives/", "/sitemap.xml"]
    for path in paths:
        with CaptureQueriesContext(connection) as queries:
            status = client.get(path).status_code
        print(f"{path:60} {status}  {len(queries)} queries")


if __name__ == "__main__":
    main()
