"""Saving or publishing a case study or lesson re-indexes it, after the transaction commits;
so does an entry's submission and every later change of its state (its private row)."""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from awards import permissions
from awards.models import AwardLevel, Branch, Category, Entry
from portal.agencies.models import Agency, Province

from . import search, tasks
from .models import (
    Adoption,
    CaseDocument,
    CasePhoto,
    CaseStudy,
    Lesson,
    ThesaurusGroup,
    Topic,
)


def _index_after_commit(task, pk):
    """Robust: a broker that is down never turns the save (an official's submission, a
    publish) into an error; the periodic repair indexes what was missed."""
    transaction.on_commit(lambda: task.delay(pk), robust=True)


@receiver(post_save, sender=CaseStudy)
def case_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        if not instance.is_published:
            search.withdraw(case_id=instance.pk)
        _index_after_commit(tasks.index_case_study, instance.pk)


@receiver(m2m_changed, sender=CaseStudy.provinces.through)
@receiver(m2m_changed, sender=CaseStudy.topics.through)
@receiver(m2m_changed, sender=CaseStudy.sdgs.through)  # a facet (the index rows carry it)
def case_places_changed(sender, instance, action, reverse=False, **kwargs):
    if action.startswith("post_") and not reverse and isinstance(instance, CaseStudy):
        _index_after_commit(tasks.index_case_study, instance.pk)


@receiver(post_save, sender=Lesson)
def lesson_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        if not instance.is_published:
            search.withdraw(lesson_id=instance.pk)
        _index_after_commit(tasks.index_lesson, instance.pk)


@receiver(post_save, sender=Entry)
def entry_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    """Submitted (or decided) work is indexed, a withdrawn or reopened entry's row removed;
    a draft saved while it is written has nothing to index. Deleting an entry deletes its row
    (on_delete CASCADE)."""
    if raw:
        return
    if permissions.is_past_work(instance) or "state" in (update_fields or ()):
        _index_after_commit(tasks.index_entry, instance.pk)


@receiver(post_save, sender=Agency)
@receiver(post_save, sender=Province)
@receiver(post_save, sender=Branch)
@receiver(post_save, sender=Category)
@receiver(post_save, sender=Topic)
@receiver(post_delete, sender=Agency)
def dictionary_changed(sender, **kwargs):
    """New names: this process re-reads the dictionary; others within DICTIONARY_TTL."""
    search.forget_dictionary()


@receiver(post_save, sender=ThesaurusGroup)
@receiver(post_delete, sender=ThesaurusGroup)
@receiver(post_save, sender=Agency)
@receiver(post_delete, sender=Agency)
@receiver(post_save, sender=Province)
def thesaurus_changed(sender, raw=False, **kwargs):
    """Equivalent words changed: every process re-reads the thesaurus at its next query, and
    cached result pages are rendered again."""
    if not raw:
        search.thesaurus_changed()
        transaction.on_commit(search.bump_generation)


@receiver(post_save, sender=CaseStudy)
@receiver(post_save, sender=Lesson)
def indexed_content_saved(sender, instance, raw=False, **kwargs):
    """Its case's page is rendered again at once; the lists when the worker has indexed the
    change (cases/search/indexing.py starts a new index generation then, not twice)."""
    if not raw:
        _case_page_changed(instance)


@receiver(post_delete, sender=CaseStudy)
@receiver(post_delete, sender=Lesson)
@receiver(post_save, sender=Adoption)
@receiver(post_delete, sender=Adoption)
def listed_content_changed(sender, instance, raw=False, **kwargs):
    """The public pages cache their content (cases/caching.py): what lists show changed
    without the indexer running (index rows deleted with their case, an adoption recorded),
    and so did this case's own page."""
    if not raw:
        _case_page_changed(instance)
        transaction.on_commit(search.bump_generation)


@receiver(post_save, sender=CasePhoto)
@receiver(post_delete, sender=CasePhoto)
@receiver(post_save, sender=CaseDocument)
@receiver(post_delete, sender=CaseDocument)
def case_attachment_changed(sender, instance, raw=False, **kwargs):
    """Photos and documents show on their case's page only: the lists stay cached."""
    if not raw:
        _case_page_changed(instance)


def _case_page_changed(instance):
    case_id = instance.pk if isinstance(instance, CaseStudy) else instance.case_study_id
    transaction.on_commit(lambda: search.bump_case_generation(case_id))


@receiver(post_save, sender=Agency)
@receiver(post_save, sender=Province)
@receiver(post_save, sender=Branch)
@receiver(post_save, sender=Category)
@receiver(post_save, sender=Topic)
@receiver(post_save, sender=AwardLevel)  # names and rank order of the award levels
@receiver(post_delete, sender=AwardLevel)
def names_changed(sender, raw=False, **kwargs):
    """A name (or an award level's rank) every page may show changed: all of them are rendered
    again once this is committed."""
    if not raw:
        transaction.on_commit(search.bump_names_generation)
        transaction.on_commit(search.bump_generation)
