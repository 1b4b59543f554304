"""The writer's tools around a post: revisions and their diffs, old URLs (aliases), share
previews, edit conflicts, tags (typing and merging) and keeping posts in step with the
bibliography."""
