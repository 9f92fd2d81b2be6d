"""dataclass_schema: an endpoint's response schema made from the selector's dataclass it returns."""

from dataclasses import dataclass

import pytest
from pydantic import ValidationError

from mentora.api.schemas import dataclass_schema


@dataclass(frozen=True)
class Badge:
    code: str
    code_label: str


@dataclass(frozen=True)
class Card:
    title: str
    badges: list[Badge]
    main_badge: Badge | None
    scores: dict[str, Badge | None]
    rank: int = 0

    @property
    def badge_count(self) -> int:
        return len(self.badges)


BadgeOut = dataclass_schema(Badge, exclude=["code_label"])
CardWithCountOut = dataclass_schema(Card, nested={Badge: BadgeOut}, properties=["badge_count"])
CardOut = dataclass_schema(
    Card, name="CardView", nested={Badge: BadgeOut}, descriptions={"rank": "1 is best."}
)


def test_it_has_the_dataclass_fields_in_order_without_the_excluded_ones():
    assert list(BadgeOut.model_fields) == ["code"]
    assert list(CardOut.model_fields) == ["title", "badges", "main_badge", "scores", "rank"]


def test_it_serialises_the_dataclass_with_nested_schemas_in_lists_unions_and_dicts():
    badge = Badge(code="gold", code_label="Gold")
    card = Card(title="T", badges=[badge], main_badge=None, scores={"a": badge, "b": None})
    assert CardOut.model_validate(card).model_dump() == {
        "title": "T",
        "badges": [{"code": "gold"}],
        "main_badge": None,
        "scores": {"a": {"code": "gold"}, "b": None},
        "rank": 0,
    }


def test_its_json_schema_names_the_component_and_keeps_defaults_and_descriptions():
    schema = CardOut.model_json_schema()
    assert schema["title"] == "CardView"
    assert schema["required"] == ["title", "badges", "main_badge", "scores"]
    assert schema["properties"]["rank"]["description"] == "1 is best."
    assert BadgeOut.model_json_schema()["title"] == "BadgeOut"


def test_a_wrong_type_is_refused():
    with pytest.raises(ValidationError):
        CardOut.model_validate({"title": "T", "badges": "x", "main_badge": None, "scores": {}})


def test_it_adds_the_named_properties_after_the_fields():
    card = Card(title="T", badges=[Badge(code="a", code_label="A")] * 2, main_badge=None, scores={})
    dumped = CardWithCountOut.model_validate(card).model_dump()
    assert list(dumped)[-1] == "badge_count" and dumped["badge_count"] == 2
    assert CardWithCountOut.model_json_schema()["properties"]["badge_count"]["type"] == "integer"
