"""Who may do what to which article: the rules a plain permission cannot express.

Permissions (from the roles) say what kind of work a user does; these functions add the
article's owner and state. The admin uses them to show only what a user may use, and to
refuse forged requests for the rest.
"""

from django.db.models import Q

from articles.models import Article, Byline

Status = Article.Status

# Which states each state may move to, and whether the move is an editor's (publishing
# power). A writer only sends their draft (or returned article) for review.
TRANSITIONS = {
    Status.DRAFT: {Status.IN_REVIEW: False, Status.PUBLISHED: True},
    Status.RETURNED: {Status.IN_REVIEW: False, Status.PUBLISHED: True},
    Status.IN_REVIEW: {Status.RETURNED: True, Status.PUBLISHED: True, Status.DRAFT: True},
    Status.PUBLISHED: {Status.UNPUBLISHED: True},
    Status.UNPUBLISHED: {Status.PUBLISHED: True, Status.DRAFT: True},
}
# The states in which a writer may still edit their own article.
WRITER_EDITABLE = {Status.DRAFT, Status.RETURNED}


def can_publish(user):
    return user.has_perm("articles.publish_article")


def can_edit_others(user):
    return user.has_perm("articles.change_others_article")


def owned_by(user):
    """Articles a user authors: their Author is in the byline, or they created it."""
    return Q(created_by=user) | Q(
        pk__in=Byline.objects.filter(author__user=user).values("article_id")
    )


def is_own(user, article):
    if article.pk is None or article.created_by_id == user.pk:
        return True
    return article.bylines.filter(author__user=user).exists()


def can_change(user, article):
    if not user.has_perm("articles.change_article"):
        return False
    if can_edit_others(user):
        return True
    return article.status in WRITER_EDITABLE and is_own(user, article)


def can_delete(user, article):
    if not user.has_perm("articles.delete_article"):
        return False
    if can_edit_others(user):
        return True
    # A writer may throw away their own draft, never anything that has been published.
    return (
        article.status in WRITER_EDITABLE
        and is_own(user, article)
        and not article.transitions.filter(to_status=Status.PUBLISHED).exists()
    )


def allowed_statuses(user, article=None):
    """The states the user may leave the article in: where it is, and where it may go."""
    current = article.status if article is not None and article.pk else Status.DRAFT
    publisher = can_publish(user)
    targets = [
        status for status, editorial in TRANSITIONS.get(current, {}).items()
        if publisher or not editorial
    ]  # fmt: skip
    return [current, *targets]
