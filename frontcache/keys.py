"""The surrogate keys: the one place that names what a cached response shows.

A page carries a key for everything it shows; an edit purges the keys of what it changed, and
every page carrying one of them leaves the cache. The keys are short because a listing carries
dozens and every one travels in a header:

=============  ==============================================================================
``site``       every keyed response (``purge_front_cache --all``, a restored backup)
``a<id>``      an article: its page, API detail, and every page that lists its headline
``s<id>``      a section's name: its listing, the pages of its articles, blocks naming it
``t<id>``      a tag's name: its listing, the pages of the articles carrying it
``w<id>``      an author's name: their listing, pages and bylines of their articles
``ls<id>``     which articles a section lists: its page (all page numbers) and its feeds
``lt<id>``     the same for a tag
``lw<id>``     the same for an author
``home``       the front page          ``latest``    the latest-news listing
``archive``    the date archives       ``feed``      the site-wide feeds (RSS and Atom)
``feeds``      every feed (names of tags and authors appear in all of them)
``sitemaps``   every sitemap           ``api``       the API's lists (articles, sections,
                                                     tags, authors)
``masthead``   the masthead block      ``banner``    the breaking-news banner
``slots``      the front-page slots    ``mostread``  the most-read block
``nav``        the section links in every page's header
=============  ==============================================================================

Views record what they show (``articles.shown.shows``): model instances, ``("listing", owner)``
and the names above; ``keys_of`` turns that into keys. ``for_article_change`` and
``for_content_change`` turn the notifications of ``articles.events`` into the keys to purge.
"""

ALL = "site"
NAMES = frozenset(
    "home latest archive feed feeds sitemaps api masthead banner slots mostread nav".split()
)
# Model label -> prefix of the object's key, and of its listing's key.
OBJECTS = {
    "articles.Article": "a",
    "articles.Section": "s",
    "articles.Tag": "t",
    "articles.Author": "w",
}
LISTINGS = {"articles.Section": "ls", "articles.Tag": "lt", "articles.Author": "lw"}


def key_of(thing):
    """The key of one thing a view recorded; ValueError for anything unknown (a typo in a
    view must fail its tests, not silently leave a page unpurgeable)."""
    if isinstance(thing, str):
        if thing not in NAMES:
            raise ValueError(f"unknown surrogate key name {thing!r}")
        return thing
    if isinstance(thing, tuple):
        kind, owner = thing
        if kind == "listing":
            return f"{LISTINGS[owner._meta.label]}{owner.pk}"
        # (model label, pk): for rows a view holds as ids only (most-read entries).
        return f"{OBJECTS[kind]}{owner}"
    return f"{OBJECTS[thing._meta.label]}{thing.pk}"


def keys_of(things):
    """The keys of a response, ``site`` first, each once, in a stable order."""
    return [ALL, *sorted({key_of(thing) for thing in things} - {ALL})]


def _listings(prefix, ids):
    return {f"{prefix}{pk}" for pk in ids if pk is not None}


def for_article_change(change):
    """Keys a write of one article makes stale (an ``articles.events.ArticleChange``)."""
    if not (change.was_public or change.is_public):
        # A draft, a scheduled or an expired article: readers saw nothing and see nothing
        # new (its address answered 404 before and still does).
        return set()
    keys = {f"a{change.article_id}", "home", "latest", "archive", "feed", "sitemaps", "api"}
    keys |= _listings("ls", {change.old_section_id, change.new_section_id})
    keys |= _listings("lt", change.old_tag_ids | change.new_tag_ids)
    keys |= _listings("lw", {*change.old_author_ids, *change.new_author_ids})
    if change.was_public:
        # It may be in the most-read block, whose own cache frontpage drops on this change.
        keys.add("mostread")
    return keys


def for_content_change(label, pks):
    """Keys a write of rows ``pks`` of model ``label`` makes stale (``content_changed``)."""
    if label is None:
        return {ALL}
    pks = pks or ()
    if label == "articles.Section":
        # Named in every page's header, in the home blocks and in its articles' pages.
        return {"nav", "home", "feeds", "sitemaps", "api"} | {
            key for pk in pks for key in (f"s{pk}", f"ls{pk}")
        }
    if label in ("articles.Tag", "articles.Author"):
        prefix = OBJECTS[label]
        return {"feeds", "sitemaps", "api"} | {
            key for pk in pks for key in (f"{prefix}{pk}", f"l{prefix}{pk}")
        }
    if label in ("articles.MastheadRole", "articles.MastheadTerm"):
        return {"masthead"}
    if label == "frontpage.FrontPageSlot":
        return {"slots", "home"}
    if label == "frontpage.BreakingNews":
        return {"banner"}
    # A model this module does not know yet: everything, rather than a stale page.
    return {ALL}
