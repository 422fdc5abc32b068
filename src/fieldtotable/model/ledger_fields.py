"""What the ledger keeps: its quantities by product, market, leg and place; flow records.

The names here are the ledger's vocabulary, shared by the model that writes the ledger
(:mod:`.ledger`) and by :mod:`fieldtotable.results`, which reads it after a run.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Per-product daily quantities in the ledger (all kg unless the name says otherwise).
DAILY_QUANTITIES = (
    "harvested",
    "rejected",
    "refused",
    "sold",
    "sold_value_cny",
    "markdown_sold",
    "demand",
    "lost_sales",
    "delivered_to_market",
    "field_to_market_kg_h",
    "remaining_shelf_life_kg_d",
    "remaining_fraction_kg",
    "arrived_at_market_hub",
    "kept_by_producers",
    "sold_locally",
    "local_sales_value_cny",
    "overflow_in",
    # The parcel cold chain (model/parcel.py): kg and value of parcels refunded because
    # they spoiled on the way, kg delivered and their remaining shelf life, courier fees.
    "refunded",
    "refunds_cny",
    "parcel_delivered",
    "parcel_remaining_kg_d",
    "courier_cost_cny",
    # One-off event orders (markets.<id>.events): their demand and unmet kg, also
    # counted in demand and lost_sales.
    "event_demand",
    "event_lost_sales",
)

#: The fates by which kg leave the channel unsold, each booked in :attr:`Ledger.losses`
#: by stage, node and reason: graded out, turned away by a full store, destroyed by
#: handling or lost as weight (:mod:`fieldtotable.model.handling`), or spoiled.
LOSS_FATES = ("rejected", "refused", "damaged", "spoiled")

#: The key of one entry of :attr:`Ledger.losses`: fate, stage index, node, reason.
LossKey = tuple[str, int, str, str]

#: Per-market daily quantities.
MARKET_QUANTITIES = ("demand", "sold", "lost_sales", "sold_value_cny")

#: Number of equal bins of the labelled remaining fraction of shelf life at sale
#: (:attr:`Ledger.remaining_at_sale`, :attr:`fieldtotable.RunResult.remaining_at_sale`).
REMAINING_BINS = 20

#: Per-leg daily quantities.
LEG_QUANTITIES = ("trips", "kg_carried", "tonne_km", "cost_cny", "co2_kg", "rerouted_kg")

#: Per-place daily quantities, by product, that the money KPIs price
#: (:mod:`fieldtotable.model.money`): kg-hours held in the place's store and kg
#: received into it, and the same for its rented overflow store.
PLACE_QUANTITIES = ("held_kg_h", "received_kg", "overflow_held_kg_h", "overflow_received_kg")


@dataclass(frozen=True, slots=True)
class Flow:
    """One movement in the optional flow log.

    Attributes
    ----------
    time_h
        Clock time of the movement, hours since the start.
    kind
        ``harvest``, ``reject``, ``refuse``, ``damage``, ``spoil``, ``depart``,
        ``arrive``, ``deliver`` or ``sell``.
    product
        Product id.
    kg
        Quantity moved.
    place
        Id of the node, leg or market where it happened.
    lot
        Id of the lot (a split part has its own id).
    """

    time_h: float
    kind: str
    product: str
    kg: float
    place: str
    lot: int
