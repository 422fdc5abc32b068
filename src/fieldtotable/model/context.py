"""What every component of one run shares: clock, calendar, ledger, live lots."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping, Sequence
from typing import Generic, TypeVar

import numpy as np
import simpy

from fieldtotable.kinetics import Kinetics
from fieldtotable.model.handling import Handling
from fieldtotable.model.ledger import Ledger
from fieldtotable.model.lot import Lot
from fieldtotable.model.thermal import Ambient, ConstantTemperature, ThermalEnvironment
from fieldtotable.model.timetable import Timetable
from fieldtotable.scenario.schema import TemperatureClass

#: A run's root seed: a plain int, or one replication's ``SeedSequence``.
Seed = int | np.random.SeedSequence
#: Days of a shop's demand or a source's harvests drawn at a time (NumPy's calls cost
#: per call, not per number; see :class:`~.store_demand.DemandDraws`).
BLOCK_DAYS = 32

Draw = TypeVar("Draw")


def stream(seed: Seed, *key: str) -> np.random.Generator:
    """Independent random stream of one component, keyed by its stable id.

    ``seed`` is an int or a replication's ``SeedSequence`` (whose spawn key is kept).
    The stream depends only on the replication's seed and on ``key`` (for example
    ``("leg", "kunming_shanghai", "transit")``), never on the order in which
    components are built: adding a route does not shift the harvest draws, which is
    what makes common random numbers work across configurations.
    """
    if isinstance(seed, np.random.SeedSequence):
        entropy, prefix = seed.entropy, tuple(seed.spawn_key)
    else:
        entropy, prefix = seed, ()
    digest = hashlib.blake2b("\x1f".join(key).encode(), digest_size=16).digest()
    words = tuple(int.from_bytes(digest[i : i + 4], "little") for i in range(0, 16, 4))
    sequence = np.random.SeedSequence(entropy, spawn_key=(*prefix, *words))
    return np.random.Generator(np.random.PCG64(sequence))


def replication_seed(seed: int, replication: int | None) -> Seed:
    """Return the root seed of one replication of an experiment.

    Replication ``i`` of an experiment with ``seed`` is the ``i``-th child of
    ``SeedSequence(seed)`` (``spawn_key=(i,)``), so experiments with different seeds
    share no replication. ``None`` is the plain seed: ``simulate(scenario, seed)``.
    """
    if replication is None:
        return seed
    return np.random.SeedSequence(seed, spawn_key=(replication,))


class Calendar:
    """Calendar month and weekday of each simulated day.

    Parameters
    ----------
    start_date
        Date of day 0 (clock time 0 h is its midnight).
    days
        Number of days to tabulate.
    """

    def __init__(self, start_date: dt.date, days: int) -> None:
        dates = [start_date + dt.timedelta(days=d) for d in range(days)]
        self.start_date = start_date
        self.month = [d.month for d in dates]
        self.weekday = [d.weekday() for d in dates]
        self._last_day = days - 1

    def month_and_weekday(self, day: int) -> tuple[int, int]:
        """Return day ``day``'s month (1-12) and weekday (0 = Monday), past the table too."""
        if day < len(self.month):
            return self.month[day], self.weekday[day]
        date = self.start_date + dt.timedelta(days=day)
        return date.month, date.weekday()

    def month_at(self, time_h: float) -> int:
        """Calendar month (1-12) at a clock time."""
        day = int(time_h // 24)
        return self.month[day if day < self._last_day else self._last_day]


class DayBlocks(Generic[Draw]):
    """Draws of each day, made ``block_days`` days at a time (days are asked for in order).

    A subclass draws a block in :meth:`_draw_block`; :meth:`day` hands the days out.
    """

    def __init__(self, calendar: Calendar, block_days: int) -> None:
        self.calendar = calendar
        self.block_days = block_days
        self.first_day = 0
        self.drawn: list[Draw] = []

    def day(self, day: int) -> Draw:
        """Return day ``day``'s draw, drawing its block when it is not drawn yet."""
        offset = day - self.first_day
        if not 0 <= offset < len(self.drawn):
            self.drawn = self._draw_block(day)
            self.first_day = day
            offset = 0
        return self.drawn[offset]

    def _draw_block(self, first_day: int) -> list[Draw]:
        """Return the draws of the ``block_days`` days from ``first_day``."""
        raise NotImplementedError


class Context:
    """Shared state of one run.

    Parameters
    ----------
    env
        The SimPy environment.
    ledger
        Where flows are recorded.
    calendar
        Day-to-month and day-to-weekday tables.
    kinetics
        Shelf-life kinetics, one per product index.
    ambient
        Ambient environment of each climate region.
    horizon_h
        End of the run, hours.
    temperature_classes
        Temperature class of each product index (all ``chilled`` when omitted).
    handling
        Breakage and weight loss of each product index (none when omitted).
    """

    def __init__(
        self,
        env: simpy.Environment,
        ledger: Ledger,
        calendar: Calendar,
        kinetics: Sequence[Kinetics],
        ambient: dict[str, Ambient],
        horizon_h: float,
        temperature_classes: Sequence[TemperatureClass] | None = None,
        handling: Handling | None = None,
    ) -> None:
        self.env = env
        self.timetable = Timetable(env, horizon_h)
        """Runs the periodic tasks of sources and order streams (one timeout per time)."""
        self.ledger = ledger
        self.calendar = calendar
        self.kinetics = tuple(kinetics)
        self.ambient = ambient
        self.horizon_h = horizon_h
        self.live: dict[int, Lot] = {}
        """Every lot still in the system, by id (insertion-ordered: deterministic)."""
        self._next_id = 0
        self._constant: dict[float, ConstantTemperature] = {}
        chilled: TemperatureClass = "chilled"
        self.temperature_classes: tuple[TemperatureClass, ...] = (
            tuple(temperature_classes)
            if temperature_classes is not None
            else (chilled,) * len(kinetics)
        )
        self.handling = handling if handling is not None else Handling.none(ledger, len(kinetics))
        """What handling destroys and the weight lots lose (:mod:`.handling`)."""

    def at_temperature(self, temp_c: float) -> ConstantTemperature:
        """Return the (shared) environment held at ``temp_c``."""
        environment = self._constant.get(temp_c)
        if environment is None:
            environment = ConstantTemperature(temp_c, self.kinetics)
            self._constant[temp_c] = environment
        return environment

    def held_at(
        self, setpoint_c: float, class_setpoints_c: Mapping[TemperatureClass, float] | None = None
    ) -> list[ConstantTemperature]:
        """Return the environment of each product index in a place with class chambers.

        Products whose temperature class has an entry in ``class_setpoints_c`` are
        held at that temperature, the others at ``setpoint_c``.
        """
        chambers = class_setpoints_c or {}
        return [
            self.at_temperature(chambers.get(temperature_class, setpoint_c))
            for temperature_class in self.temperature_classes
        ]

    def new_lot(
        self,
        product: int,
        source: int,
        kg: float,
        limit: float,
        environment: ThermalEnvironment,
        stage: int,
        node: str = "",
        activity: str = "",
    ) -> Lot:
        """Create a lot at the current time at ``node``, doing ``activity``; register it as live."""
        lot = Lot(
            self._next_id, product, source, kg, limit, environment, self.env.now, stage,
            node, activity, self.handling.shrinkage[product],
        )  # fmt: skip
        self._next_id += 1
        self.live[lot.id] = lot
        return lot

    def split(self, lot: Lot, kg: float) -> Lot:
        """Split ``kg`` off ``lot`` as a new live lot."""
        part = lot.take(kg, self._next_id)
        self._next_id += 1
        self.live[part.id] = part
        return part

    def remove(self, lot: Lot) -> None:
        """Take a lot out of the system (sold out, spoiled, rejected, refused)."""
        del self.live[lot.id]

    def spoil_if_expired(self, lot: Lot, place: str, time_h: float | None = None) -> bool:
        """Discard ``lot`` as spoiled if its shelf life has run out by ``time_h`` (default now).

        The spoilage is booked at the moment it happened (``expires_at_h``) and to
        the stage the lot was in, so daily series and stage shares stay exact even
        though lots are only inspected when they move or are picked.
        """
        now = self.env.now if time_h is None else time_h
        if lot.expires_at_h > now:
            return False
        lot.advance(now)
        if not lot.is_spoiled:  # rounding: the expiry estimate was a hair early
            lot.expires_at_h = lot.environment.time_to_consume(
                lot.product, now, lot.limit - lot.consumed
            )
            return False
        self.discard_spoiled(lot, max(min(lot.expires_at_h, now), lot.harvested_h), place)
        return True

    def discard_spoiled(self, lot: Lot, time_h: float, place: str) -> None:
        """Book a spoiled lot at ``time_h`` (found at ``place``) and take it out of the system.

        The weight it lost before it spoiled is booked as damaged, the rest as spoiled,
        to the stage, node and activity where its shelf life ran out.
        """
        kg = lot.kg
        if lot.shrinkage is not None:
            kg -= lot.shrinkage.settle_spoiled(lot, time_h)
        self.ledger.spoil(
            time_h, lot.stage, lot.product, kg, place, lot.id, node=lot.node, reason=lot.activity
        )
        self.remove(lot)
