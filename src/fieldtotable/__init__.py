"""fieldtotable: simulate the perishable field-to-table channel from Diqing to Shanghai."""

__version__ = "0.1.0"
