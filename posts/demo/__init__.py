"""The demo content: `demo.yaml` plus one Markdown file per post (see load_demo)."""
