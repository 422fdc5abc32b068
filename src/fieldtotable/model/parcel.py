"""The parcel cold chain: orders packed into passive boxes and couriered to the door.

An order market with a ``delivery`` entry hands each order's lots to a
:class:`ParcelCourier` instead of selling them at the hub. The courier packs them into
parcels of equal weight, draws each parcel's courier time, puts its lot pieces in the
parcel's box (:class:`~fieldtotable.model.parcel_box.ParcelBox`, activity ``parcel``
at the market's node) and pays the courier and the box. At the door a piece whose
shelf life ran out on the way is spoiled where it happened (stage ``market``, node:
the market, reason ``parcel``) and its price refunded; the others are sold at the
price of the order, their remaining shelf life measured at the customer's
refrigerator.

Why spoiled, not a fate of its own: the kg of a refunded parcel left the channel
because its shelf life ran out, like any spoiled kg, so the mass balance needs no new
term; what is particular to parcels is the money, booked apart: no revenue for it,
``refunds_cny`` (the price the customer got back), and the courier and box paid all
the same.
"""

from __future__ import annotations

import functools
import math
from collections import deque
from collections.abc import Callable, Sequence

import simpy

from fieldtotable.errors import ScenarioError
from fieldtotable.kinetics.passive_box import PassiveBox
from fieldtotable.model.context import Context, Seed, stream
from fieldtotable.model.lot import MARKET, Lot
from fieldtotable.model.market import Seller
from fieldtotable.model.parcel_box import ParcelBox
from fieldtotable.model.storage import EPSILON_KG
from fieldtotable.model.thermal import ConstantTemperature
from fieldtotable.scenario.distributions import make_sampler
from fieldtotable.scenario.limits import MAX_PARCELS_PER_ORDER
from fieldtotable.scenario.schema_parcel import ParcelDelivery

__all__ = ["PARCEL_ACTIVITY", "ParcelCourier"]

PARCEL_ACTIVITY = "parcel"
"""The activity of a lot in a courier's box: the reason its spoilage is booked under."""


class ParcelCourier:
    """Packs one market's orders into parcels and delivers them (module docstring).

    Parameters
    ----------
    context
        Shared run state.
    market_id
        The market's id (the node of the parcels' lots and losses).
    config
        The market's ``delivery`` entry.
    seller
        Prices the parcels (at packing) and books their sales.
    packing_for
        Environment of each product index at the supplying hub (packing temperature
        when ``config.packing_temp_c`` is not given).
    outdoor_monthly_c
        Monthly mean temperature of the air around the boxes, January first.
    product_ids
        Product ids in index order (the courier-time streams are keyed by them).
    seed
        The replication's seed.
    """

    def __init__(
        self,
        context: Context,
        market_id: str,
        config: ParcelDelivery,
        seller: Seller,
        packing_for: Sequence[ConstantTemperature],
        outdoor_monthly_c: Sequence[float],
        product_ids: Sequence[str],
        seed: Seed,
    ) -> None:
        self.context = context
        self.market_id = market_id
        self.config = config
        self.seller = seller
        self.packing_temps_c = [
            config.packing_temp_c if config.packing_temp_c is not None else chamber.temp_c
            for chamber in packing_for
        ]
        self.outdoor_monthly_c = tuple(outdoor_monthly_c)
        self.home = context.at_temperature(config.home_temp_c)
        self._courier_hours: dict[int, Callable[[], float]] = {}
        self._product_ids = tuple(product_ids)
        self._seed = seed

    def _courier_time(self, product: int) -> float:
        """Draw one parcel's courier time (each product on its own stream, made on first use)."""
        draw = self._courier_hours.get(product)
        if draw is None:
            rng = stream(self._seed, "parcel", self.market_id, self._product_ids[product])
            draw = self._courier_hours[product] = make_sampler(self.config.courier_time_h, rng)
        return max(draw(), 0.0)

    def ship(self, product: int, lots: list[Lot]) -> float:
        """Pack ``lots`` (picked now) into parcels and send them; return the kg shipped.

        Raises
        ------
        ScenarioError
            If the order needs more than :data:`MAX_PARCELS_PER_ORDER` parcels.
        """
        total = sum(lot.kg for lot in lots)
        if total <= EPSILON_KG:
            return 0.0
        count = max(math.ceil(total / self.config.parcel_kg - 1e-9), 1)
        if count > MAX_PARCELS_PER_ORDER:
            raise ScenarioError.single(
                f"an order of {total:,.1f} kg needs {count:,} parcels, more than "
                f"{MAX_PARCELS_PER_ORDER:,}; raise parcel_kg or lower the order's kg",
                path=f"markets.{self.market_id}.delivery.parcel_kg",
            )
        size = total / count
        waiting = deque(lots)
        for parcel in range(count):
            pieces: list[Lot] = []
            wanted = size if parcel < count - 1 else math.inf  # the last takes the rest
            while waiting and wanted > EPSILON_KG:
                lot = waiting[0]
                if lot.kg <= wanted + EPSILON_KG:
                    pieces.append(waiting.popleft())
                    wanted -= lot.kg
                else:
                    pieces.append(self.context.split(lot, wanted))
                    wanted = 0.0
            if pieces:
                self._send(product, pieces)
        return total

    def _send(self, product: int, pieces: list[Lot]) -> None:
        """Box one parcel's pieces now, pay courier and box, schedule the delivery."""
        context, config = self.context, self.config
        env, ledger = context.env, context.ledger
        now = env.now
        hours = self._courier_time(product)
        outdoor_c = config.courier_network_temp_c
        if outdoor_c is None:
            outdoor_c = self.outdoor_monthly_c[context.calendar.month_at(now) - 1]
        box = PassiveBox(
            self.packing_temps_c[product], outdoor_c, config.time_constant_h, config.ice_hold_h
        )
        environment = ParcelBox(box, now, now + hours, context.kinetics)
        prices = []
        for lot in pieces:
            prices.append(self.seller.quote(lot))  # paid when ordered, at today's label
            lot.place(environment, now, MARKET, self.market_id, PARCEL_ACTIVITY)
        kg = sum(lot.kg for lot in pieces)
        courier = config.courier_cny_per_parcel + config.courier_cny_per_extra_kg * max(kg - 1, 0)
        ledger.charge_market(self.market_id, "transport_cost_cny", now, product, courier)
        ledger.add("courier_cost_cny", now, product, courier)
        ledger.charge_market(
            self.market_id, "packaging_cost_cny", now, product, config.box_cny_per_parcel
        )
        arrival = env.timeout(hours)
        arrival.callbacks.append(functools.partial(self._deliver, pieces, prices))

    def _deliver(
        self, pieces: list[Lot], prices: list[tuple[float, bool]], _event: simpy.Event
    ) -> None:
        """At the door: refund what spoiled on the way, sell the rest."""
        context = self.context
        ledger = context.ledger
        now = context.env.now
        rates = self.home.rates
        for lot, (price, marked_down) in zip(pieces, prices, strict=True):
            product, kg = lot.product, lot.kg
            if context.spoil_if_expired(lot, self.market_id):
                ledger.add("refunded", now, product, kg)
                ledger.add("refunds_cny", now, product, kg * price)
                continue
            lot.advance(now)
            remaining = lot.limit - lot.consumed
            remaining_days = remaining / rates[product] / 24.0
            ledger.deliver(now, product, kg, now - lot.harvested_h, self.market_id, lot.id)
            ledger.sell(
                now, product, kg, kg * price, remaining_days, remaining / lot.limit,
                markdown=marked_down, place=self.market_id, lot=lot.id,
                labelled_fraction=lot.remaining_fraction(),
            )  # fmt: skip
            ledger.add("parcel_delivered", now, product, kg)
            ledger.add("parcel_remaining_kg_d", now, product, kg * remaining_days)
            context.remove(lot)
