"""The survey's rounds: their labels, a notebook's choice of round, and which rows it keeps.

The survey ran in 2018 and 2020. A survey-wide figure (a row of ``survey/benchmarks.csv``) is
labelled by the round it counts: "2018", "2020", or "2018+2020" where the survey published the
2020 results pooled with the 2018 round. Every module that selects or orders figures by round
takes these constants and functions from here.
"""

from __future__ import annotations

from typing import Literal, get_args

import pandas as pd

from ..errors import ParameterError
from . import questions

#: The round a survey-wide figure counts (``Benchmark.survey_round``, a quoted share's round).
SurveyRound = Literal["2018", "2020", "2018+2020"]
#: A round of the survey itself, e.g. the round a profile page's wording tells.
PageRound = Literal["2018", "2020"]
#: A notebook's ``survey_round`` parameter: one round or both.
RoundChoice = Literal["2018", "2020", "both"]

ROUNDS: tuple[str, ...] = get_args(PageRound)
ROUND_CHOICES: tuple[str, ...] = get_args(RoundChoice)
#: The label of figures that pool both rounds.
POOLED = "2018+2020"

#: Which ``survey_round`` values of the benchmark rows each notebook choice keeps.
ROUND_ROWS: dict[str, tuple[str, ...]] = {
    "2018": ("2018",),
    "2020": ("2020", POOLED),
    "both": ("2018", "2020", POOLED),
}
#: Where the base (number of responding cities) of each ``survey_round`` is read, in order of
#: preference: 2020 alone has no published count, so the pooled one stands in; "both" is pooled.
BASE_ROUNDS: dict[str, tuple[str, ...]] = {
    "2018": ("2018",),
    "2020": ("2020", POOLED),
    "both": (POOLED,),
}
#: Rounds of figures in the order a profile page quotes them: the pooled figure first.
QUOTED_FIRST: tuple[str, ...] = (POOLED, "2020", "2018")
#: The round a page tells by quoting a figure of each label (a pooled figure is a 2020 page's).
PAGE_ROUND_OF: dict[str, str] = {"2018": "2018", POOLED: "2020", "2020": "2020"}


def rows_for_round(frame: pd.DataFrame, survey_round: str | int) -> pd.DataFrame:
    """Survey-wide rows that belong to a notebook's ``survey_round`` choice, in file order.

    ``2018`` keeps the first round's figures (rows "2018"). ``2020`` keeps rows "2020" and
    "2018+2020": the survey published its 2020 results mostly pooled with the 2018 round.
    ``"both"`` keeps every row; the ``survey_round`` column still labels each row by its round.
    """
    key = str(survey_round) if not isinstance(survey_round, bool) else ""
    if key not in ROUND_ROWS:
        raise ParameterError(f"parameter survey_round: {survey_round!r} is not a survey round "
                             "(allowed: 2018, 2020 or 'both')")
    return frame[frame["survey_round"].isin(ROUND_ROWS[key])].reset_index(drop=True)


def respondent_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """The benchmark rows that count the cities responding to a survey round (with a number)."""
    return frame[(frame["component"] == questions.SURVEY_COMPONENT)
                 & (frame["question"] == questions.RESPONDENTS)
                 & (frame["unit"] == "cities") & frame["value"].notna()]
