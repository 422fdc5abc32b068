"""Measured temperature logs in a scenario: a leg's trip log, a node's repeating profile.

In a scenario file a log is a CSV path (``temperature_log: logs/trip.csv`` on a leg,
``temperature_log: {file: logs/room.csv, repeat: daily}`` on a node). The loader
(:mod:`.temperature_logs`) reads the CSV, relative to the file that names it, and
puts its records in the scenario next to the path, so the validated scenario holds
the data itself: its hash changes when the CSV changes, and a dumped scenario is
complete without the CSV. Python callers may give the records inline
(``{elapsed_h: [0, 10], temp_c: [2, 2]}``).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, Strict, model_validator

from fieldtotable.scenario.limits import MAX_TEMP_C, MIN_TEMP_C
from fieldtotable.scenario.schema_types import Frozen

__all__ = [
    "LOG_MAX_RECORDS",
    "REPEAT_PERIOD_H",
    "NodeTemperatureLog",
    "TemperatureLog",
]

LOG_MAX_RECORDS = 1_000_000
"""Most records a log may hold."""

REPEAT_PERIOD_H = {"daily": 24.0, "yearly": 8760.0}
"""Hours of one cycle of a repeating profile."""

_Hours = Annotated[float, Strict(), Field(ge=0, allow_inf_nan=False)]
_Temp = Annotated[float, Strict(), Field(ge=MIN_TEMP_C, le=MAX_TEMP_C, allow_inf_nan=False)]


def _check_records(elapsed_h: tuple[float, ...], temp_c: tuple[float, ...]) -> None:
    """Raise ``ValueError`` unless the records make a log (see :class:`TemperatureLog`)."""
    if len(elapsed_h) != len(temp_c):
        raise ValueError(
            f"elapsed_h and temp_c must have as many values ({len(elapsed_h)} and {len(temp_c)})"
        )
    if not elapsed_h:
        raise ValueError("a temperature log needs at least one record")
    if elapsed_h[0] != 0:
        raise ValueError(f"the first record must be at elapsed_h 0 (got {elapsed_h[0]!r})")
    for index in range(1, len(elapsed_h)):
        if not elapsed_h[index] > elapsed_h[index - 1]:
            raise ValueError(
                f"elapsed_h must increase strictly: record {index + 1} ({elapsed_h[index]!r}) "
                f"is not after record {index} ({elapsed_h[index - 1]!r})"
            )


class TemperatureLog(Frozen):
    """A measured temperature log: records ``(elapsed_h, temp_c)``, linear between them.

    A leg replays it for every trip, hour 0 at the vehicle's departure (the cargo
    held in a loaded vehicle before departure is at the first record's temperature);
    past the last record the last temperature holds until arrival. It replaces the
    leg's ``setpoint_c``: products in a class chamber (``class_setpoints_c``, e.g.
    frozen goods at -18 °C) keep their chamber's setpoint. A reefer failure still
    replaces its hours by the outdoor air.
    """

    file: str | None = None
    """The CSV the records were read from, as the scenario names it (relative to
    that scenario file); a header ``elapsed_h,temp_c`` and one record per line."""
    elapsed_h: tuple[_Hours, ...] = Field(max_length=LOG_MAX_RECORDS)
    """Hours of each record since the log's start: 0 first, strictly increasing (read
    from ``file`` when a scenario file gives the path)."""
    temp_c: tuple[_Temp, ...] = Field(max_length=LOG_MAX_RECORDS)
    """Temperature of each record, °C (-60 to 60; read from ``file`` as ``elapsed_h``)."""

    @model_validator(mode="after")
    def _check(self) -> TemperatureLog:
        _check_records(self.elapsed_h, self.temp_c)
        return self


class NodeTemperatureLog(TemperatureLog):
    """A node's temperature profile, repeating every day or every year from the run's start.

    Hour 0 is 00:00 of ``start_date``; the last record must be at the end of the
    period (24 for ``daily``, 8760 for ``yearly``), where the next cycle starts
    again from the first record. It replaces the node's ``setpoint_c`` for the time
    lots spend in its store (cold room or hub store); products in a class chamber
    (``class_setpoints_c``) keep their chamber's setpoint. Pre-cooling, a hub's
    handling time and the cost of cooling still use the setpoints.
    """

    repeat: Literal["daily", "yearly"]
    """How the profile repeats: every 24 h (``daily``) or every 8760 h (``yearly``)."""

    @model_validator(mode="after")
    def _covers_period(self) -> NodeTemperatureLog:
        period = REPEAT_PERIOD_H[self.repeat]
        last = self.elapsed_h[-1]
        if last != period:
            raise ValueError(
                f"a {self.repeat} profile must end with a record at elapsed_h {period:g} "
                f"(the start of the next cycle), got {last!r}"
            )
        return self
