"""How the sessions page names the browser behind a sign-in."""

from django import template

from wallet.devices import device_label

register = template.Library()
register.filter("device_label", device_label)
