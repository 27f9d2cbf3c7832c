vcl 4.1;
# Varnish in front of gunicorn (issue 15), the starting point: cache what the app marks public,
# purge exactly the surrogate keys (xkey) an edit names. A template, like nginx.conf.template:
# whoever starts varnishd (tests/private_services.py's PrivateVarnish) replaces BACKEND_HOST and
# BACKEND_PORT between at-signs, because VCL has no variables a backend definition can read
# and varnishd -b cannot be combined with -f. Check a rendered copy with `varnishd -C -f FILE`.
#
# Lifetimes come from the app's Cache-Control (s-maxage, then stale-while-revalidate as grace):
# the app decides, this file does not second-guess it. Varnish's built-in VCL runs after every
# subroutine below that does not return, so its safety rules still apply: no caching of
# responses that set a cookie or say private/no-store/no-cache, of requests with an
# Authorization header, or of anything but GET and HEAD.

import xkey;

backend app {
    .host = "@BACKEND_HOST@";
    .port = "@BACKEND_PORT@";
}

# Who may purge: the app servers, which reach Varnish over loopback. A proxy in front of
# Varnish (nginx) also connects from loopback, so it must refuse PURGE from the outside rather
# than forward it.
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
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # Staff carry Django's session cookie: their pages are never shared nor stored.
    if (req.http.Cookie ~ "(^|;\s*)sessionid=") {
        return (pass);
    }
    # Any other cookie (a CSRF token left from a form, an analytics id) does not change a
    # reader's page; kept, it would make the built-in VCL pass every such reader.
    unset req.http.Cookie;
}

sub vcl_deliver {
    # Surrogate keys are for this cache only; Surrogate-Key and Cache-Tag, meant for a CDN
    # behind us, pass through.
    unset resp.http.xkey;
    # What answered, for people and for benchmarks/newsroom_day.py: PASS (never cached),
    # HIT (a fresh copy), HIT-STALE (a copy in grace while a fresh one is fetched), MISS.
    if (obj.uncacheable) {
        set resp.http.X-Cache = "PASS";
    } elsif (obj.hits > 0 && obj.ttl >= 0s) {
        set resp.http.X-Cache = "HIT";
    } elsif (obj.hits > 0) {
        set resp.http.X-Cache = "HIT-STALE";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}
