"""Infrastructure with no newsroom knowledge, shared by every app above it.

It owns the security middleware (Content-Security-Policy, the client's address, the login
lockout backend), the rate limiter, the 503 answer when the database is away, the read-replica
router, the Redis cache backends, the question "is this request a public reader page" (the list
of pages is a setting), and the admin site with its optional two-factor login form.

It imports no other app of this project, so any of them may use it.
"""
