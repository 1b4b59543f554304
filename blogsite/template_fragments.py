"""The frame's template fragments (`{% cache %}` in templates/base.html and the pagination).

They are kept in each process's memory (`settings.CACHES["template_fragments"]`), each keyed by
every value it prints, so no change of content or settings ever needs them cleared. A change of
the templates themselves does: the development server reloads a changed template without
restarting, and the receiver here forgets the fragments the old templates made.
"""

from django.core.cache import caches
from django.dispatch import receiver
from django.template.autoreload import get_template_directories
from django.utils.autoreload import file_changed


@receiver(file_changed, dispatch_uid="template-fragments-forget-changed-templates")
def forget_fragments_of_changed_templates(sender, file_path, **kwargs):
    if file_path.suffix != ".py" and any(
        directory in file_path.parents for directory in get_template_directories()
    ):
        caches["template_fragments"].clear()
