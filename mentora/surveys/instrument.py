"""The questions every program's built-in surveys start from, stored as rows when a template is
created (`services.survey_template_enable`), so that results always read the questions as asked.

The mentoring functions scale follows the family of short mentoring functions questionnaires
(Kram 1985's career and psychosocial functions; Scandura & Ragins 1993 and Castro, Scandura &
Williams 2004, the nine-item MFQ-9, three items each for career support, psychosocial support and
role modelling). The wording below is Mentora's own, not the published items; every item is
answered on the same 1–5 agreement scale and each function's score is the mean of its items.
"""

from django.utils.translation import gettext_lazy as _

# (measure, answer kind, prompt, required)
MENTORING_FUNCTIONS = [
    ("career", "scale", _("My mentoring partner helps me think through my career and next steps."), True),
    (
        "career",
        "scale",
        _("My mentoring partner helps me become visible to people who matter for my work."),
        True,
    ),
    ("career", "scale", _("My mentoring partner gives me advice I can use on challenges at work."), True),
    (
        "psychosocial",
        "scale",
        _("I can talk openly with my mentoring partner about worries and doubts."),
        True,
    ),
    (
        "psychosocial",
        "scale",
        _("My mentoring partner has my trust and treats what I say in confidence."),
        True,
    ),
    ("psychosocial", "scale", _("After our conversations I feel more confident in my work."), True),
    ("role_model", "scale", _("I would like to work the way my mentoring partner works."), True),
    ("role_model", "scale", _("I admire how my mentoring partner handles difficult situations."), True),
    ("role_model", "scale", _("I try to follow my mentoring partner's example."), True),
]

FIT = [
    ("fit", "scale", _("After your first session: how well does this pairing fit you?"), True),
    ("", "long_text", _("What would make it work better? (Only you can read this.)"), False),
]

RECOMMEND = [
    ("recommend", "score_0_10", _("How likely are you to recommend this program to a colleague?"), True),
    ("", "long_text", _("Why? (Only you can read this.)"), False),
]

END_EXTRA = [
    ("", "long_text", _("What helped most? (Only you can read this.)"), False),
]

DEFAULT_QUESTIONS = {
    "fit": FIT,
    "midpoint": MENTORING_FUNCTIONS,
    "end": MENTORING_FUNCTIONS + END_EXTRA,
    "recommend": RECOMMEND,
    "custom": [],
}
