"""How the 30 breast-cancer measurements are shown: groups, readable names, units.

Each of ten nucleus measurements is summarized over the nuclei of one image three ways, as
the data set does: the mean, the standard error and the "worst" (mean of the three largest
values). The source data gives lengths in image units without a physical scale, so no unit is
invented here: lengths are "image units", areas "image units²", texture "grey levels", and the
shape descriptors are ratios without a unit.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["GROUPS", "Field", "describe", "glossary", "group_fields"]

# (column stem, readable name, unit or "", one-line meaning) in the data set's order.
_MEASUREMENTS = (
    ("radius", "Radius", "image units", "mean distance from the centre to the boundary"),
    ("texture", "Texture", "grey levels", "standard deviation of the grey-scale values"),
    ("perimeter", "Perimeter", "image units", "length of the nucleus boundary"),
    ("area", "Area", "image units²", "area inside the boundary"),
    ("smoothness", "Smoothness", "", "local variation in radius lengths"),
    ("compactness", "Compactness", "", "perimeter² / area − 1"),
    ("concavity", "Concavity", "", "severity of concave portions of the contour"),
    ("concave_points", "Concave points", "", "number of concave portions of the contour"),
    ("symmetry", "Symmetry", "", "symmetry of the nucleus"),
    ("fractal_dimension", "Fractal dimension", "", "“coastline approximation” − 1"),
)

# (key, title, how a column of this group is named from a stem)
GROUPS = (
    ("mean", "Mean over the nuclei", "mean_{}"),
    ("error", "Standard error", "{}_error"),
    ("worst", "Worst (mean of the three largest)", "worst_{}"),
)

_SHORT = {"mean": "mean", "error": "s.e.", "worst": "worst"}


@dataclass(frozen=True)
class Field:
    """One input of the form."""

    name: str  # column name in the data and the model file
    group: str  # "mean", "error", "worst" or "other"
    label: str  # e.g. "Radius (image units)"
    short: str  # e.g. "Radius, worst" (for charts and warnings)
    help: str


def _catalogue() -> dict[str, Field]:
    fields = {}
    for key, _, pattern in GROUPS:
        for stem, readable, unit, meaning in _MEASUREMENTS:
            name = pattern.format(stem)
            label = f"{readable} ({unit})" if unit else readable
            fields[name] = Field(name, key, label, f"{readable}, {_SHORT[key]}", meaning)
    return fields


_CATALOGUE = _catalogue()


def describe(name: str) -> Field:
    """The display description of a column; unknown columns are shown by their own name."""
    return _CATALOGUE.get(name, Field(name, "other", name, name, ""))


def group_fields(feature_names: list[str]) -> list[tuple[str, list[Field]]]:
    """The model's features as ``[(group title, fields), ...]``, in the model's order within
    each group; groups with no field are left out."""
    titles = {key: title for key, title, _ in GROUPS}
    titles["other"] = "Other measurements"
    grouped: dict[str, list[Field]] = {key: [] for key in titles}
    for name in feature_names:
        field = describe(name)
        grouped[field.group].append(field)
    return [(titles[key], fields) for key, fields in grouped.items() if fields]


def glossary() -> str:
    """A markdown table of what each of the ten measurements means, with its unit."""
    rows = [
        f"| {readable} | {unit or 'none (a ratio)'} | {meaning} |"
        for _, readable, unit, meaning in _MEASUREMENTS
    ]
    return "\n".join(
        [
            "Each measurement describes the cell nuclei in one image, summarized three ways: "
            "the mean, the standard error and the worst (mean of the three largest values).",
            "",
            "| measurement | unit | meaning |",
            "|---|---|---|",
            *rows,
        ]
    )
