"""The KPIs of overload policies: producers' kept and local sales, overflow stores.

Registered after the flow KPIs (:mod:`.builtin_fields`). What a collection point
refuses at its gate is part of ``refused_kg``; the producers keep it and sell it
locally or lose it. What goes through a rented overflow store is still in the
channel; its rent and extra handling are inside ``storage_cost_cny`` and
``handling_cost_cny``.
"""

from __future__ import annotations

from fieldtotable.results.field import KpiComputation, ResultField

__all__ = ["OVERLOAD_KPIS"]

OVERLOAD_KPIS: tuple[tuple[ResultField, KpiComputation], ...] = (
    (
        ResultField(
            "kept_by_producers_kg", "kg",
            "refused at a collection point's gate (overload: refuse_upstream) and kept by the"
            " producers; part of refused_kg, not bought by the channel",
            label="Kept by producers", better="lower", per_product=True,
        ),
        lambda run: run.total("kept_by_producers"),
    ),
    (
        ResultField(
            "sold_locally_kg", "kg",
            "kept by the producers and sold locally (products with a local_price_cny_per_kg);"
            " the rest of kept_by_producers_kg is lost to them",
            label="Sold locally by producers", per_product=True,
        ),
        lambda run: run.total("sold_locally"),
    ),
    (
        ResultField(
            "local_sales_value_cny", "CNY",
            "sold_locally_kg x the product's local_price_cny_per_kg: part of"
            " producer_income_cny, not of revenue_cny",
            label="Local sales by producers", better="higher", per_product=True,
        ),
        lambda run: run.total("local_sales_value_cny"),
    ),
    (
        ResultField(
            "overflow_store_kg", "kg",
            "moved into rented overflow cold stores (overload: overflow)",
            label="Through overflow stores", per_product=True,
        ),
        lambda run: run.total("overflow_in"),
    ),
    (
        ResultField(
            "overflow_cost_cny", "CNY",
            "rent (kg-days held x price per kg and day) and extra handling (kg moved in x cost"
            " per kg) of overflow stores; inside storage_cost_cny and handling_cost_cny",
            label="Overflow store cost", better="lower", per_product=True,
        ),
        lambda run: run.money("overflow_cost_cny"),
    ),
)  # fmt: skip
