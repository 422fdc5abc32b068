"""The mass balance ``simulate`` checks after every run catches kilograms that leak.

``harvested = rejected + refused + spoiled + sold + in_system_end`` must hold, or
``simulate`` raises :class:`MassBalanceError`. Each leak below is injected through one
narrow seam of the model (splitting a lot, taking a lot out of the system, the end of
the run) and must fail the run; the same run without it must pass the check.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

import pytest

from fieldtotable import Scenario, simulate
from fieldtotable.errors import MassBalanceError
from fieldtotable.model.context import Context
from fieldtotable.model.ledger import Ledger
from fieldtotable.model.lot import Lot
from fieldtotable.model.world import World

SEED = 3
#: ``harvested X kg but rejected + refused + spoiled + sold + in system = Y kg``
MESSAGE = re.compile(r"harvested (?P<harvested>[\d.]+) kg but .* = (?P<accounted>[\d.]+) kg")


@pytest.fixture
def scenario(make_scenario: Callable[..., Scenario]) -> Scenario:
    """``small.yaml`` over 10 days: lots are split, rejected, sold, and left in stock."""
    return make_scenario({"horizon_days": 10})


@pytest.fixture
def balance_checks(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The ``in_system_kg`` of every mass-balance check made (proof the check ran)."""
    checks: list[float] = []
    check = Ledger.check_mass_balance

    def spy(self: Ledger, in_system_kg: float, **kwargs: Any) -> None:
        checks.append(in_system_kg)
        check(self, in_system_kg, **kwargs)

    monkeypatch.setattr(Ledger, "check_mass_balance", spy)
    return checks


def leak_when_splitting(monkeypatch: pytest.MonkeyPatch, kg: float) -> list[float]:
    """The first split of a lot holding more than 1 kg changes its kg by ``kg``, unbooked."""
    leaks: list[float] = []
    take = Lot.take

    def leaky(self: Lot, kg_taken: float, new_id: int) -> Lot:
        part = take(self, kg_taken, new_id)
        if not leaks and self.kg > 1.0:
            self.kg += kg
            leaks.append(kg)
        return part

    monkeypatch.setattr(Lot, "take", leaky)
    return leaks


def lose_a_kilogram_when_splitting(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    return leak_when_splitting(monkeypatch, -1.0)


def create_a_kilogram_when_splitting(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    return leak_when_splitting(monkeypatch, +1.0)


def keep_a_removed_lot_live(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The first lot taken out of the system (booked as sold, spoiled, ...) stays live."""
    leaks: list[float] = []
    remove = Context.remove

    def leaky(self: Context, lot: Lot) -> None:
        if not leaks and lot.kg > 1.0:
            leaks.append(lot.kg)  # counted again as still in the system
            return
        remove(self, lot)

    monkeypatch.setattr(Context, "remove", leaky)
    return leaks


def drop_a_live_lot_at_the_end(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """A lot still in the system at the end vanishes from it without a ledger entry."""
    leaks: list[float] = []
    run = World.run

    def leaky(self: World) -> None:
        run(self)
        lot = next(lot for lot in self.context.live.values() if lot.kg > 1.0)
        del self.context.live[lot.id]
        leaks.append(-lot.kg)

    monkeypatch.setattr(World, "run", leaky)
    return leaks


LEAKS: dict[str, Callable[[pytest.MonkeyPatch], list[float]]] = {
    "lose 1 kg when splitting": lose_a_kilogram_when_splitting,
    "create 1 kg when splitting": create_a_kilogram_when_splitting,
    "keep a removed lot live": keep_a_removed_lot_live,
    "drop a live lot at the end": drop_a_live_lot_at_the_end,
}


@pytest.mark.python_model
def test_the_run_without_a_leak_balances(scenario: Scenario, balance_checks: list[float]) -> None:
    result = simulate(scenario, SEED)
    assert balance_checks == [pytest.approx(result.kpis["in_system_kg_end"], rel=1e-12)]
    kpis = result.kpis
    accounted = (
        sum(kpis[key] for key in ("rejected_kg", "refused_kg", "spoiled_kg", "sold_kg"))
        + kpis["in_system_kg_end"]
    )
    assert accounted == pytest.approx(kpis["harvested_kg"], rel=1e-9)
    # Kilograms leave the system and some stay in it at the end: the leaks below
    # have something to go through.
    assert kpis["rejected_kg"] > 0
    assert kpis["sold_kg"] > 0
    assert kpis["in_system_kg_end"] > 1.0


MEASURED_OUTFLOWS = ("rejected_kg", "refused_kg", "spoiled_kg", "sold_kg", "in_system_kg_end")


@pytest.mark.parametrize("warmup_days", [1, 4, 9])
def test_the_measured_days_balance_with_a_warmup(
    make_scenario: Callable[..., Scenario], warmup_days: int
) -> None:
    """``in_system_kg_warmup_end + harvested = rejected + refused + spoiled + sold + end``."""
    scenario = make_scenario({"horizon_days": 10, "warmup_days": warmup_days})
    result = simulate(scenario, SEED)
    whole = simulate(scenario.model_copy(update={"warmup_days": 0}), SEED)
    for kpis in (result.kpis, *result.by_product.values()):
        held = kpis["in_system_kg_warmup_end"]
        assert held >= 0
        accounted = sum(kpis[key] for key in MEASURED_OUTFLOWS)
        assert held + kpis["harvested_kg"] == pytest.approx(accounted, rel=1e-9)
    # Lots are in the channel when the warm-up ends, and the warm-up's flows plus the
    # measured days' are the whole horizon's (the same run, measured from day 0).
    held = result.kpis["in_system_kg_warmup_end"]
    assert held > 1.0
    assert whole.kpis["in_system_kg_warmup_end"] == 0.0
    day = warmup_days - 1
    before = {name: sum(whole.daily[f"{name}_kg"][: day + 1]) for name in ("harvested", "spoiled")}
    assert before["harvested"] > held
    assert result.kpis["harvested_kg"] == pytest.approx(
        whole.kpis["harvested_kg"] - before["harvested"], rel=1e-12
    )
    # The daily series sampled every live lot just before the warm-up ended. A lot whose
    # shelf life ran out during the warm-up but that is found spoiled only later is
    # dated back to its expiry: live in that sample, not in the ledger's count.
    stock = sum(v[day] for k, v in result.daily.items() if k.startswith("stock_"))
    stock += result.daily["in_transit_kg"][day]
    assert held <= stock * (1 + 1e-9)
    # The difference is part of what the ledger counts as spoiled during the warm-up.
    assert stock - held <= before["spoiled"] + 1e-6


@pytest.mark.python_model
@pytest.mark.parametrize("leak", list(LEAKS))
def test_a_leak_fails_the_run(
    scenario: Scenario, balance_checks: list[float], monkeypatch: pytest.MonkeyPatch, leak: str
) -> None:
    leaks = LEAKS[leak](monkeypatch)
    with pytest.raises(MassBalanceError, match="mass balance violated") as caught:
        simulate(scenario, SEED)
    assert len(leaks) == 1, "the leak must have happened, once"
    assert len(balance_checks) == 1
    found = MESSAGE.search(str(caught.value))
    assert found is not None, str(caught.value)
    # The check is out by the leaked kilograms (printed to 6 decimals).
    difference = float(found["accounted"]) - float(found["harvested"])
    assert difference == pytest.approx(leaks[0], abs=2e-6)


@pytest.mark.parametrize("where", ["a live lot's kg", "a day's sold kg"])
def test_a_nan_fails_the_run(
    scenario: Scenario, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    run = World.run

    def with_nan(self: World) -> None:
        run(self)
        if where == "a live lot's kg":
            next(iter(self.context.live.values())).kg = math.nan
        else:
            self.ledger.daily["sold"][0][0] = math.nan

    monkeypatch.setattr(World, "run", with_nan)
    try:
        result = simulate(scenario, SEED)
    except MassBalanceError:
        return
    raise AssertionError(f"a NaN in {where} passed the mass balance: {result.kpis}")
