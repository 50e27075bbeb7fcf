"""No foreign key points up the layers: a lower app never refers to a higher one (ARCHITECTURE.md).

The layers are read from the import-linter contract in pyproject.toml, so imports and foreign keys are held
to the same list. Siblings separated by "|" are independent: no key between them either.
"""

import re
import tomllib
from pathlib import Path

from django.apps import apps

ROOT = Path(__file__).resolve().parent.parent


def _layers() -> list[tuple[str, list[str]]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    contract = next(c for c in config["tool"]["importlinter"]["contracts"] if c["type"] == "layers")
    out = []
    for layer in contract["layers"]:
        separator = "|" if "|" in layer else ":"
        names = [re.sub(r"[()\s]", "", part) for part in layer.split(separator)]
        out.append((separator, [name.removeprefix("timetill.") for name in names]))
    return out


def _position() -> dict[str, tuple[int, str]]:
    """Each app's layer (0: the top) and the separator of its layer."""
    return {app: (rank, separator) for rank, (separator, names) in enumerate(_layers()) for app in names}


def upward_keys() -> list[str]:
    position = _position()
    found = []
    for model in apps.get_models():
        source = model._meta.app_label
        if source not in position:
            continue
        for field in model._meta.get_fields():
            if not (field.is_relation and field.concrete and field.related_model is not None):
                continue
            target = field.related_model._meta.app_label
            if target == source or target not in position:
                continue
            (source_rank, separator), (target_rank, _) = position[source], position[target]
            if target_rank < source_rank or (target_rank == source_rank and separator == "|"):
                found.append(f"{model._meta.label}.{field.name} -> {field.related_model._meta.label}")
    return found


def test_the_layers_cover_the_apps_that_have_models():
    position = _position()
    ours = {c.label for c in apps.get_app_configs() if c.name.startswith("timetill.") and c.get_models()}
    assert ours <= set(position), sorted(ours - set(position))


def test_no_foreign_key_points_up_the_layers():
    assert upward_keys() == []


def test_the_check_finds_a_key_that_points_up(monkeypatch):
    # The check itself can fail: a time line pointing at the till, as TimeLine.sale once did.
    from django.db import models

    from timetill.timelines.models import TimeLine

    field = models.ForeignKey("sales.Sale", null=True, on_delete=models.SET_NULL, related_name="+")
    field.contribute_to_class(TimeLine, "sale_for_the_test")
    try:
        assert "timelines.TimeLine.sale_for_the_test -> sales.Sale" in upward_keys()
    finally:
        TimeLine._meta.local_fields.remove(field)
        TimeLine._meta._expire_cache()
        delattr(TimeLine, "sale_for_the_test")
