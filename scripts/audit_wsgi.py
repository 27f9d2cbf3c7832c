"""The audit server of `make audit`: the site, with MEDIA_ROOT served at /media/ as the web
server in front does in production (Django serves no media when DEBUG is off)."""

import os

from whitenoise import WhiteNoise

from newsroom.wsgi import application as site

application = WhiteNoise(site, root=os.environ["MEDIA_ROOT"], prefix="/media/", max_age=31536000)
