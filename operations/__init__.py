"""Running a newsroom site: the commands an operator or the Makefile calls, not the newsroom's.

It owns backup and restore, ``ensure_database`` and ``ensure_admin`` (the first steps of
``make run``), the demo site (``load_demo`` with its content, ``operations/demo_content.py``),
importing the old site's pages (``import_legacy``), and maintenance over several apps:
``rebuild_search_index``, ``rebuild_renditions`` and ``prune_photos``. It sits on top: it may
use any app below it, and none of them uses it.
"""
