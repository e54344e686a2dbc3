"""Parameter models of the notebooks, shared by the notebooks and the CLI.

papermill does not type-check parameters, so each notebook validates its ``parameters`` cell
with the model below, and ``city-innovation report`` validates with the same model before any
kernel starts. Errors name the parameter and what is allowed.
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal, Self

from matplotlib.colors import is_color_like
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from . import data
from .analysis import funding
from .errors import CityInnovationError, NotFoundError, ParameterError
from .present.palette import OKABE_ITO_NAMES
from .store.models import Region
from .survey.rounds import RoundChoice


class NotebookParams(BaseModel):
    """Base of the notebook parameter models: unknown names are refused."""

    model_config = ConfigDict(extra="forbid", validate_default=True)

    @field_validator("city", "region", check_fields=False)
    @classmethod
    def _known_name(cls, v: str | None, info: ValidationInfo) -> str | None:
        """A city or region must have a file in data/ (a region may be None where allowed)."""
        return v if v is None else _known(str(info.field_name), v)

    @classmethod
    def skip_reason(cls, values: dict[str, Any]) -> str | None:
        """Why the notebook does not apply to these values (None: it does); the report then
        skips it and says why, as it does for a notebook that needs a region."""
        return None

    @classmethod
    def parse(cls, **values: Any) -> Self:
        """Validate ``values``; raise :class:`ParameterError` with one readable line per problem."""
        try:
            return cls.model_validate(values)
        except ValidationError as exc:
            raise ParameterError(_describe(cls, exc)) from None


def _describe(model: type[BaseModel], exc: ValidationError) -> str:
    lines = []
    for err in exc.errors():
        name = ".".join(str(p) for p in err["loc"])
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            allowed = ", ".join(model.model_fields)
            msg = f"unknown parameter (allowed: {allowed})"
        elif err["type"] == "literal_error":
            msg = f"{msg} (got {err['input']!r})"
        elif err["type"] == "bool_parsing":
            msg = f"{msg} (allowed: True or False, got {err['input']!r})"
        lines.append(f"parameter {name}: {msg}" if name else f"parameter {msg}")
    return "; ".join(lines)


def _known(kind: str, name: str) -> str:
    try:
        if kind == "city":
            data.profile_path(name)
        else:
            data.region_path(name)
    except NotFoundError as exc:
        raise ValueError(str(exc)) from None
    return name


def _region_of(name: str) -> Region:
    """The region's file, or a ValueError naming it (for checks across parameters)."""
    try:
        return data.load_region(name)
    except CityInnovationError as exc:
        raise ValueError(f"region {name!r} cannot be loaded: {exc}") from None


def _a_list(allowed: str) -> Any:
    """A check that a list parameter was not given a single string (papermill -p passes one)."""
    def check(v: Any) -> Any:
        if isinstance(v, str):
            raise ValueError(f"{v!r} is not a list (allowed: {allowed})")
        return v
    return check


def _round(value: Any) -> Any:
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


class ProfileParams(NotebookParams):
    """Parameters of ``01_innovation_profile.ipynb``."""

    city: str = "Helsinki"
    survey_round: RoundChoice = "both"
    compare_with_survey: bool = True
    highlight_colour: str = "vermillion"
    output_dir: str | None = None

    _rnd = field_validator("survey_round", mode="before")(_round)

    @field_validator("highlight_colour")
    @classmethod
    def _colour(cls, v: str) -> str:
        """An Okabe-Ito name becomes its hex code; any other matplotlib colour is kept."""
        named = OKABE_ITO_NAMES.get(v.strip().casefold())
        if named:
            return named
        if not is_color_like(v):
            names = ", ".join(repr(n) for n in OKABE_ITO_NAMES)
            raise ValueError(f"{v!r} is not a colour (allowed: an Okabe-Ito name ({names}), "
                             "a matplotlib name such as 'darkorange', or a hex code such as "
                             "'#D55E00')")
        return v


class FundingParams(NotebookParams):
    """Parameters of ``02_funding_mix.ipynb``."""

    #: The notebook runs for a city without a region too (its region sections say so).
    REGION_OPTIONAL: ClassVar[bool] = True

    city: str = "Helsinki"
    region: str | None = "Helsinki-Uusimaa"
    survey_round: RoundChoice = "both"
    measure: Literal["count", "share"] = "count"
    output_dir: str | None = None

    _rnd = field_validator("survey_round", mode="before")(_round)

    @model_validator(mode="after")
    def _share_base(self) -> Self:
        """A share needs the number of responding cities of the round; refuse it early."""
        if self.measure == "share":
            try:
                funding.respondent_base(data.benchmarks(), self.survey_round)
            except CityInnovationError as exc:
                raise ValueError(f"measure: 'share' cannot be computed for survey_round "
                                 f"{self.survey_round!r}: {exc} (use measure 'count' or "
                                 "another survey_round)") from None
        return self


class ThemesParams(NotebookParams):
    """Parameters of ``03_specialisation_themes.ipynb``."""

    region: str = "Helsinki-Uusimaa"
    periods: list[str] | None = Field(default=None, description="None means all, in order")
    similarity: Literal["tfidf", "jaccard"] = "tfidf"
    link_threshold: float = 0.2
    city: str = "Helsinki"
    output_dir: str | None = None


    @field_validator("link_threshold")
    @classmethod
    def _threshold(cls, v: float) -> float:
        if not 0 <= v <= 1:
            raise ValueError(f"{v!r} is outside 0-1 (allowed: a similarity from 0 to 1, "
                             "for example 0.2)")
        return v

    @model_validator(mode="after")
    def _periods(self) -> Self:
        region = _region_of(self.region)
        order = [p.id for p in data.strategy_periods(region)]
        if self.periods is None:
            self.periods = order
        unknown = [p for p in self.periods if p not in order]
        if unknown:
            raise ValueError(f"periods: unknown period(s) {unknown} (allowed: {order})")
        if len(set(self.periods)) != len(self.periods):
            raise ValueError(f"periods: a period is repeated (allowed: each of {order} once)")
        if sorted(self.periods, key=order.index) != self.periods:
            raise ValueError(f"periods: {self.periods} must be in chronological order "
                             f"(allowed order: {order})")
        if not self.periods:
            raise ValueError(f"periods: give one period or more (allowed: {order})")
        return self


def _other_regions(region: Region) -> list[str]:
    """The NUTS codes of the other regions with a file in data/regions/: the default peers of
    a region whose file names none."""
    codes = (data.load_region(name).nuts_code for name in data.available_regions())
    return [c for c in codes if c and c != region.nuts_code]


class TargetsParams(NotebookParams):
    """Parameters of ``05_targets_2030.ipynb``."""

    region: str = "Helsinki-Uusimaa"
    peer_regions: list[str] | None = Field(default=None,
                                           description="None means the region file's peers, "
                                                       "else the other regions of data/regions/")
    indicator: str = "gerd_pc_gdp"
    city: str = "Helsinki"
    output_dir: str | None = None


    @field_validator("indicator")
    @classmethod
    def _indicator(cls, v: str) -> str:
        from .ingest.eurostat import SERIES

        if v not in SERIES:
            raise ValueError(f"{v!r} is not a Eurostat series of data/indicators/ (allowed: "
                             f"{', '.join(SERIES)})")
        return v

    _peer_list = field_validator("peer_regions", mode="before")(_a_list(
        "a list of NUTS 2 codes such as [SE11, DK01], or None for the region file's peers"))

    @model_validator(mode="after")
    def _peers(self) -> Self:
        region = _region_of(self.region)
        try:
            known = set(data.nuts_names()["code"]) | set(data.eurostat_values()["region_code"]) \
                if data.has_indicators() else set()
        except CityInnovationError as exc:
            raise ValueError(f"peer_regions: data/indicators/ cannot be read: {exc}") from None
        if self.peer_regions is None:
            self.peer_regions = [p.code for p in region.peers] or _other_regions(region)
        codes = [str(c).strip().upper() for c in self.peer_regions]
        unknown = [c for c in codes if c not in known]
        if unknown:
            raise ValueError(f"peer_regions: unknown NUTS code(s) {unknown} (allowed: NUTS 2 "
                             f"codes of data/indicators/ such as {', '.join(sorted(known)[:4])}"
                             " ...)")
        if len(set(codes)) != len(codes) or region.nuts_code in codes:
            raise ValueError(f"peer_regions: {codes} repeats a code or names the region itself "
                             f"({region.nuts_code}) (allowed: other regions, each once)")
        self.peer_regions = codes
        return self


class PeersParams(NotebookParams):
    """Parameters of ``04_peer_cities.ipynb``."""

    city: str = "Helsinki"
    peers: list[str] | None = Field(
        default=None, description="None means the 8 most alike cities of data/profiles/")
    survey_round: RoundChoice = "both"
    output_dir: str | None = None

    _rnd = field_validator("survey_round", mode="before")(_round)

    _peer_list = field_validator("peers", mode="before")(_a_list(
        "a list of cities such as [Stockholm, Vienna], or None for the most alike cities"))

    @model_validator(mode="after")
    def _peers(self) -> Self:
        from .analysis import peers

        try:
            self.peers = peers.peer_cities(self.city, self.peers)
        except CityInnovationError as exc:
            raise ValueError(str(exc).removeprefix("parameter ")) from None
        return self


class RoundsParams(NotebookParams):
    """Parameters of ``06_city_across_rounds.ipynb``."""

    city: str = "Stockholm"
    older: str = "oldest"
    newer: str = "newest"
    output_dir: str | None = None


    @classmethod
    def skip_reason(cls, values: dict[str, Any]) -> str | None:
        from .store import versions

        city = str(values.get("city", cls.model_fields["city"].default))
        try:
            ids = versions.version_ids(city)
        except CityInnovationError:
            return None   # an unknown city: the parameter check names it
        if len(ids) >= 2:
            return None
        return (f"needs two page versions of the city; data/ keeps one version of {city}'s page "
                f"(cities with two or more: {'; '.join(versions.cities_with_versions())})")

    @model_validator(mode="after")
    def _versions(self) -> Self:
        from .store import versions

        ids = versions.version_ids(self.city)
        if len(ids) < 2:
            raise ValueError(f"city: {self.city} has one page version in data/, nothing to "
                             f"compare (allowed: a city with two or more: "
                             f"{'; '.join(versions.cities_with_versions())})")
        allowed = f"allowed: oldest, newest, {', '.join(ids)}"
        chosen = []
        for name, value in (("older", self.older), ("newer", self.newer)):
            if value not in (*ids, "oldest", "newest"):
                raise ValueError(f"{name}: {value!r} is not a page version of {self.city} "
                                 f"({allowed})")
            chosen.append(ids[0] if value == "oldest" else ids[-1] if value == "newest"
                          else value)
        if chosen[0] == chosen[1]:
            raise ValueError(f"older, newer: both name version {chosen[0]!r} of {self.city} "
                             f"(allowed: two different versions; {allowed})")
        if ids.index(chosen[0]) > ids.index(chosen[1]):
            raise ValueError(f"older: {chosen[0]!r} is later than newer {chosen[1]!r} "
                             f"(allowed order, oldest first: {', '.join(ids)})")
        self.older, self.newer = chosen
        return self


NOTEBOOK_PARAMS: dict[str, type[NotebookParams]] = {
    "01": ProfileParams,
    "02": FundingParams,
    "03": ThemesParams,
    "04": PeersParams,
    "05": TargetsParams,
    "06": RoundsParams,
}
