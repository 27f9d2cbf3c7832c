"""Measuring the site: the scripts in this folder (``bench.py``, ``api_pages.py``, ...) and the
commands that build and inspect an archive to measure on (``generate_articles``,
``check_query_plans``). It sits on top with ``operations``; no other app uses it.
"""
