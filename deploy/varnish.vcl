vcl 4.1;
# Varnish in front of gunicorn (issue 15): cache what the app marks public and names by its
# surrogate keys (xkey), purge exactly the keys an edit names, and keep serving cached pages
# for a while when gunicorn is down. A template, like nginx.conf.template: whoever starts
# varnishd (deploy/serve.py, tests/private_services.py's PrivateVarnish) replaces BACKEND_HOST
# and BACKEND_PORT between at-signs, because VCL has no variables a backend definition can read
# and varnishd -b cannot be combined with -f. Check a rendered copy with `varnishd -C -f FILE`.
#
# Each subroutine written below ends in a return, so Varnish's built-in VCL never runs after
# it: every rule that decides what is stored is here, once (the built-in VCL still hashes on
# the URL and host, and handles hits, misses and passes). The rules, in short:
#   - stored: GET/HEAD without a session cookie whose answer carries xkey (the app's mark of a
#     page a shared cache may keep), sets no cookie, is not private/no-store/no-cache and is
#     not a 5xx; for the app's s-maxage, 404s for at most 60 s;
#   - grace (stale copies): 10 s while gunicorn answers (one reader gets the old copy while it
#     is refreshed), 6 h when a fetch fails or answers a 5xx (gunicorn or its database down),
#     so readers still get the pages cached before;
#   - never stored: anything with a session cookie (staff), other methods, cookie-setting or
#     private answers, errors (5xx).

import xkey;

backend app {
    .host = "@BACKEND_HOST@";
    .port = "@BACKEND_PORT@";
    # A refused connection (gunicorn down) fails at once; a first byte may take as long as
    # gunicorn's own worker timeout (30 s).
    .connect_timeout = 1s;
    .first_byte_timeout = 30s;
    # No health probe, on purpose: a probe that times out while every gunicorn worker is busy
    # would mark a loaded but working backend sick, and Varnish then answers 503 to every
    # page it does not hold. A failed fetch is enough to know: vcl_synth retries it once in
    # long grace.
}

# Who may purge: the app servers, which reach Varnish directly over loopback. nginx also
# connects from loopback, so it refuses PURGE from the outside rather than forward it
# (deploy/nginx.conf.template).
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (!req.http.xkey) {
            return (synth(400, "PURGE needs an xkey header"));
        }
        # A hard purge (not xkey.softpurge): after a takedown no copy may be served, not even
        # in grace while gunicorn is down. The header may name several keys, space-separated.
        set req.http.X-Purged = xkey.purge(req.http.xkey);
        return (synth(200, "Purged " + req.http.X-Purged));
    }
    # Only the retry below may ask for long grace; a client cannot.
    if (req.restarts == 0) {
        unset req.http.X-Grace-Retry;
    }
    # Writes (the admin's POSTs) and anything else but reads go to the app, never stored.
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # Staff carry Django's session cookie: their pages are never shared nor stored.
    if (req.http.Cookie ~ "(^|;\s*)sessionid=") {
        return (pass);
    }
    # An Authorization header means a page for one person (none of ours, but never shared).
    if (req.http.Authorization) {
        return (pass);
    }
    # Any other cookie (a CSRF token left from a form, an analytics id) does not change a
    # reader's page; kept, it would only split or bypass the cache.
    unset req.http.Cookie;
    # Grace while gunicorn answers: a copy at most 10 s past its lifetime is served while one
    # background fetch refreshes it (the app's stale-while-revalidate); older copies are
    # fetched afresh. On the retry after a failed fetch (gunicorn down), the object's own grace
    # applies: 6 h (vcl_backend_response). The lower of req.grace and the object's grace
    # counts, and req.grace outlives a restart, so it is set both ways.
    if (req.http.X-Grace-Retry) {
        set req.grace = 6h;
    } else {
        set req.grace = 10s;
    }
    return (hash);
}

sub vcl_backend_response {
    # Passed requests (staff, writes): delivered as they are, errors included, never stored.
    if (bereq.uncacheable) {
        return (deliver);
    }
    # A background refresh that met an error: keep serving the copy we have rather than
    # replace it with the error page.
    if (beresp.status >= 500 && bereq.is_bgfetch) {
        return (abandon);
    }
    # A reader's page answered with an error (the app's 503 while its database is down, say):
    # treated like a failed fetch, retried once in long grace (vcl_synth), so a cached copy
    # is served if there is one; on that retry the app's own error page is delivered.
    if (beresp.status >= 500 && !bereq.http.X-Grace-Retry) {
        return (abandon);
    }
    # Errors are never stored: the next reader asks the app again.
    if (beresp.status >= 500) {
        set beresp.ttl = 0s;
        set beresp.grace = 0s;
        set beresp.uncacheable = true;
        return (deliver);
    }
    # A response that sets a cookie would hand one reader's cookie to everyone: never stored,
    # and the next 2 minutes of requests for it go straight to the app (hit-for-miss).
    if (beresp.http.Set-Cookie) {
        set beresp.ttl = 120s;
        set beresp.uncacheable = true;
        return (deliver);
    }
    # The app's "not for a shared cache", and pages without surrogate keys: no purge could
    # ever remove those, so they are not kept (hit-for-miss, 2 minutes).
    if (beresp.http.Cache-Control ~ "(?i)(private|no-store|no-cache)" || !beresp.http.xkey
        || beresp.http.Vary == "*") {
        set beresp.ttl = 120s;
        set beresp.uncacheable = true;
        return (deliver);
    }
    # The lifetime is the app's s-maxage (Varnish reads it into beresp.ttl): the app bounds it
    # by the next scheduled change. A page answered without one lives 0 s (not stored).
    if (beresp.ttl <= 0s) {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    # A 404 (a mistyped address, a link to a story not yet published) for at most 60 s, so a
    # crawl of invented addresses cannot fill the cache for long.
    if (beresp.status == 404 && beresp.ttl > 60s) {
        set beresp.ttl = 60s;
    }
    # How long a copy may be served past its lifetime: 6 h, used in full only when a fetch
    # from gunicorn failed (vcl_recv shortens it to 10 s otherwise). A purge removes the copy
    # and its grace at once.
    set beresp.grace = 6h;
    return (deliver);
}

sub vcl_backend_error {
    # Gunicorn refused, reset or timed out: no synthetic page from here; the client's request
    # goes to vcl_synth with a 503, which retries once in long grace.
    return (abandon);
}

sub vcl_synth {
    # A failed fetch (or a 5xx) for a reader's GET/HEAD: look again, accepting a copy up to
    # 6 h old. If there is none, the fetch is made again and its answer stands.
    if (resp.status == 503 && req.restarts == 0 && (req.method == "GET" || req.method == "HEAD")) {
        set req.http.X-Grace-Retry = "1";
        return (restart);
    }
    # A reader who meets an error gets a short page in Arabic, not Varnish's English one.
    if (resp.status >= 500) {
        set resp.http.Content-Type = "text/html; charset=utf-8";
        set resp.http.Retry-After = "30";
        synthetic({"<!doctype html><html lang="ar" dir="rtl"><meta charset="utf-8"><title>الموقع غير متاح مؤقتًا</title><p>الموقع غير متاح مؤقتًا، حاول مرة أخرى بعد قليل.</p></html>"});
        return (deliver);
    }
    set resp.http.Content-Type = "text/plain; charset=utf-8";
    synthetic(resp.reason);
    return (deliver);
}

sub vcl_deliver {
    # Surrogate keys are for this cache only; Surrogate-Key and Cache-Tag, meant for a CDN
    # in front of us, pass through.
    unset resp.http.xkey;
    # What answered, for people and for benchmarks/newsroom_day.py: PASS (never cached),
    # HIT (a fresh copy), HIT-STALE (a copy in grace), MISS.
    if (obj.uncacheable) {
        set resp.http.X-Cache = "PASS";
    } elsif (obj.hits > 0 && obj.ttl >= 0s) {
        set resp.http.X-Cache = "HIT";
    } elsif (obj.hits > 0) {
        set resp.http.X-Cache = "HIT-STALE";
    } else {
        set resp.http.X-Cache = "MISS";
    }
    return (deliver);
}
