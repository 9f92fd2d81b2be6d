"""Right-to-left text typed into a form reads in its own direction (issue 9 §3.14): every text input
and textarea the project's forms render carries dir="auto", through the project's widget templates."""

import re

from django import forms

from tests.markup import text_without_own_direction

ARABIC_TITLE = "خطة التطوير المهني"
HEBREW_NOTE = "פגישה ראשונה עם המנטור"


class _Goal(forms.Form):
    title = forms.CharField()
    note = forms.CharField(widget=forms.Textarea)
    search = forms.CharField(widget=forms.TextInput(attrs={"type": "search"}))
    email = forms.EmailField()


def _tag(html: str, name: str) -> str:
    return re.search(rf'<(?:input|textarea)[^>]*name="{name}"[^>]*>', html)[0]


def test_text_inputs_and_textareas_are_laid_out_in_their_own_direction():
    html = str(_Goal(initial={"title": ARABIC_TITLE, "note": HEBREW_NOTE}))
    assert text_without_own_direction(html, written=HEBREW_NOTE) == []
    for name in ("title", "note", "search"):
        assert 'dir="auto"' in _tag(html, name), name
    # An e-mail address is always left to right.
    assert "dir=" not in _tag(html, "email")
