"""The audit trail: who changed the masthead, the staff accounts, their groups and permissions,
and their two-factor devices, when, and from what to what.

It owns the ``AuditEntry`` table (append-only, also at the database level), the signal
handlers that fill it from every path that goes through the model layer (admin, management
commands, a shell), the middleware that names the acting user, and its read-only admin.
It imports articles, django.contrib and django_otp; nothing imports it.
"""
