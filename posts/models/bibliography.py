"""The writer's bibliography: entries cited in Markdown as `[@key]`."""

from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class Reference(models.Model):
    """An entry of the writer's bibliography, cited in Markdown as `[@key]`."""

    key = models.SlugField(
        max_length=100,
        unique=True,
        help_text=_("Cite it in Markdown as [@key], e.g. [@vaswani2017attention]."),
    )
    authors = models.TextField(
        help_text=_('"Surname, Given; Surname, Given" — one author after another, in order.')
    )
    title = models.CharField(max_length=500)
    venue = models.CharField(max_length=300, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    arxiv_id = models.CharField(_("arXiv id"), max_length=50, blank=True)
    doi = models.CharField(_("DOI"), max_length=200, blank=True)
    url = models.URLField(_("URL"), max_length=500, blank=True)

    class Meta:
        ordering = ["key"]
        constraints = [
            models.UniqueConstraint(
                Lower("key"),
                name="reference_key_unique_ci",
                violation_error_message=_("A reference with this key already exists."),
            )
        ]

    def __str__(self):
        return self.key
