"""The credential checklist renders exactly what Django's checkbox widget would."""

from django import forms
from django.test.html import parse_html

from wallet.widgets import Checklist

CHOICES = [
    ("a1", "Soudage <script>alert(1)</script>"),
    ("b2", 'Quote " and & ampersand'),
    ("c3", "Plain"),
]


def both(value, attrs):
    ours = Checklist(choices=CHOICES).render("credentials", value, attrs)
    django = forms.CheckboxSelectMultiple(choices=CHOICES).render("credentials", value, attrs)
    return parse_html(ours), parse_html(django)


def test_the_markup_is_djangos_with_ids_and_choices_checked():
    ours, django = both(["b2", "c3"], {"id": "id_credentials"})
    assert ours == django
    assert "<script>" not in str(ours)


def test_the_markup_is_djangos_without_an_id_and_with_error_attributes():
    ours, django = both([], {"aria-invalid": "true"})
    assert ours == django
    ours, django = both(None, {"id": "x"})
    assert ours == django


def test_the_share_layout_escapes_and_says_when_there_is_nothing_to_choose():
    from wallet.widgets import SHARE_ROW

    html = Checklist(choices=CHOICES, row=SHARE_ROW).render("c", ["a1"], {"id": "id_c"})
    assert '<input type="checkbox" name="c" value="a1" id="id_c_0" checked>' in html
    assert '<label for="id_c_0">Soudage &lt;script&gt;alert(1)&lt;/script&gt;</label>' in html
    assert "Quote &quot; and &amp; ampersand" in html
    empty = Checklist(choices=[], row=SHARE_ROW, empty="Nothing yet.").render("c", [], {})
    assert empty == '<p class="muted">Nothing yet.</p>'
