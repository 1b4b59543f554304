"""The server's side of the browser autosave (`static/js/admin-autosave.js`).

The browser keeps the writer's text until the server has confirmed that very save. On submit the
script sends a random save id (`SAVE_ID_FIELD`); once the post and its inlines are saved, the admin
remembers that id in the session (`confirm_save`), and the page that follows (the change list or
the change form) carries it back once (`take_confirmation`). An error page (503, 500, a refused
form, a body over the size limit, a worker timeout) carries no id, so the browser copy stays and is
offered for restore when the post is opened again.
"""

from __future__ import annotations

import re

SAVE_ID_FIELD = "autosave_save_id"
SESSION_KEY = "blogsite_autosave_confirmed"
SAVE_ID = re.compile(r"[A-Za-z0-9_-]{8,64}")


def confirm_save(request) -> None:
    """The save in `request` succeeded: tell the next admin page which one it was."""
    save_id = request.POST.get(SAVE_ID_FIELD, "")
    if SAVE_ID.fullmatch(save_id):
        request.session[SESSION_KEY] = save_id


def take_confirmation(request) -> str:
    """The id of the save confirmed since the last admin page, once; "" if there is none."""
    if SESSION_KEY not in request.session:
        return ""
    return request.session.pop(SESSION_KEY)
