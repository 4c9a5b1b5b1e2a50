"""docs/odd.md covers every parameter of the scenario schema, levers included."""

from pathlib import Path

from pydantic import BaseModel

from talentsim.policies import LEVERS
from talentsim.scenario import Scenario

ODD = Path(__file__).parents[1] / "docs" / "odd.md"


def _fields(model: type[BaseModel], prefix: str = "") -> list[str]:
    out = []
    for name, info in model.model_fields.items():
        ann = info.annotation
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            out.extend(_fields(ann, f"{prefix}{name}."))  # a table of parameters, not one
        else:
            out.append(prefix + name)
    return out


def test_every_schema_parameter_is_in_the_odd():
    text = ODD.read_text(encoding="utf-8")
    missing = []
    for path in _fields(Scenario):
        if path.rsplit(".", 1)[-1] not in ("regions", "policy") and f"`{path}`" not in text:
            missing.append(path)
    from talentsim.scenario import Region

    for name in Region.model_fields:
        if f"`regions.<name>.{name}`" not in text:
            missing.append(f"regions.<name>.{name}")
    for lever, (spec, _) in LEVERS.items():
        for name in spec.model_fields:
            if name not in ("type", "start", "end", "regions") and f"| `{lever}` | `{name}` |" not in text:
                missing.append(f"{lever}.{name}")
    assert not missing, missing
