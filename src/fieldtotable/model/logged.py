"""Thermal environments replayed from a measured temperature log.

A leg's log runs once per trip, from the vehicle's departure (:class:`LoggedTrip`); a
node's log is a profile repeating every day or every year from the start of the run
(:class:`RepeatingProfile`). Both offer the interface of :mod:`.thermal`'s
environments (``consumed``, ``time_to_consume``, ``temperature_at``) and read one
:class:`~fieldtotable.kinetics.log_table.LogTable` per product, tabulated once per
run, so that a lot's update costs a binary search, not an integration.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from fieldtotable.kinetics import Kinetics
from fieldtotable.kinetics.log_table import LogTable

__all__ = ["LoggedTrip", "RepeatingProfile", "log_tables"]


def log_tables(
    kinetics: Sequence[Kinetics], elapsed_h: Sequence[float], temp_c: Sequence[float]
) -> tuple[LogTable, ...]:
    """Tabulate one log for every product index."""
    return tuple(LogTable(kinetic, elapsed_h, temp_c) for kinetic in kinetics)


class LoggedTrip:
    """One trip whose temperature is the leg's log, its hour 0 at departure.

    Before departure (a loaded vehicle held by a closure) the first record's
    temperature holds; after the log's last record, the last one's.

    Parameters
    ----------
    tables
        The leg's log, tabulated per product index (:func:`log_tables`).
    departure_h
        Clock time of the trip's departure, h.
    """

    __slots__ = ("departure_h", "tables")

    def __init__(self, tables: Sequence[LogTable], departure_h: float) -> None:
        self.tables = tables
        self.departure_h = departure_h

    def consumed(self, product: int, start_h: float, end_h: float) -> float:
        """Fraction of shelf life consumed between two clock times."""
        if end_h <= start_h:
            return 0.0
        table = self.tables[product]
        departure = self.departure_h
        segment = table.segment_of(start_h - departure)
        run = table.run_of(segment)
        if run != -2 and run == table.run_of(table.segment_of(end_h - departure)):
            # One temperature throughout: the same product of clock times as a setpoint.
            return (end_h - start_h) * table.constant_rate(segment)
        return table.consumed_between(start_h - departure, end_h - departure)

    def time_to_consume(self, product: int, start_h: float, amount: float) -> float:
        """Clock time at which ``amount`` more of the shelf life is consumed."""
        if amount <= 0:
            return start_h
        table = self.tables[product]
        departure = self.departure_h
        segment = table.segment_of(start_h - departure)
        run = table.run_of(segment)
        if run != -2:
            reached = start_h + amount / table.constant_rate(segment)
            if table.run_of(table.segment_of(reached - departure)) == run:
                return reached
        return departure + table.hours_to_consume(start_h - departure, amount)

    def temperature_at(self, time_h: float) -> float:
        """Temperature at a clock time, °C."""
        return self.tables[0].temperature_at(time_h - self.departure_h)


class RepeatingProfile:
    """A room whose temperature repeats a logged profile every ``period_h`` hours.

    Hour 0 of the profile is the start of the run (00:00 of ``start_date``); its
    last record is at ``period_h``, where the next cycle begins.

    Parameters
    ----------
    tables
        The profile, tabulated per product index (:func:`log_tables`); each
        table's records run from 0 to ``period_h``.
    period_h
        Hours of one cycle (24 for a daily profile, 8760 for a yearly one).
    """

    __slots__ = ("period_h", "tables")

    def __init__(self, tables: Sequence[LogTable], period_h: float) -> None:
        self.tables = tables
        self.period_h = period_h

    def _cycle(self, time_h: float) -> tuple[int, float]:
        cycle = math.floor(time_h / self.period_h)
        return cycle, time_h - cycle * self.period_h

    def _integral(self, table: LogTable, time_h: float) -> float:
        cycle, within = self._cycle(time_h)
        return cycle * table.total + table.consumed_until(within)

    def integral(self, product: int, time_h: float) -> float:
        """Fraction of shelf life consumed from clock hour 0 to ``time_h``."""
        return self._integral(self.tables[product], time_h)

    def consumed(self, product: int, start_h: float, end_h: float) -> float:
        """Fraction of shelf life consumed between two clock times."""
        if end_h <= start_h:
            return 0.0
        table = self.tables[product]
        if table.is_flat:
            return (end_h - start_h) * table.first_rate
        start_cycle, start_within = self._cycle(start_h)
        end_cycle, end_within = self._cycle(end_h)
        if start_cycle == end_cycle:
            segment = table.segment_of(start_within)
            run = table.run_of(segment)
            if run != -2 and run == table.run_of(table.segment_of(end_within)):
                return (end_h - start_h) * table.constant_rate(segment)
            return table.consumed_between(start_within, end_within)
        return self._integral(table, end_h) - self._integral(table, start_h)

    def time_to_consume(self, product: int, start_h: float, amount: float) -> float:
        """Clock time at which ``amount`` more of the shelf life is consumed."""
        if amount <= 0:
            return start_h
        table = self.tables[product]
        if table.is_flat:
            return start_h + amount / table.first_rate
        cycle, within = self._cycle(start_h)
        target = table.consumed_until(within) + amount
        if target <= table.total:
            return cycle * self.period_h + table.hours_reaching(target)
        extra = target - table.total
        cycles, left = divmod(extra, table.total) if table.total > 0 else (math.inf, 0.0)
        if not math.isfinite(cycles):
            return math.inf
        return (cycle + 1 + cycles) * self.period_h + table.hours_reaching(left)

    def temperature_at(self, time_h: float) -> float:
        """Temperature at a clock time, °C."""
        return self.tables[0].temperature_at(self._cycle(time_h)[1])
