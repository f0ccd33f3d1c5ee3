"""Analytics: the ecosystem's figures and the flow matrix are staff pages (the representative's figures are on
the project cabinet's dashboard, `cabinet:dashboard`, already in tests/matrix/core.py or projects.py)."""

from tests.matrix import Entry, staff_only

ENTRIES = {
    "staff:analytics": Entry(staff_only(), note="the whole ecosystem, or one project through the picker"),
    "staff:analytics_flows": Entry(staff_only()),
    "staff:analytics_flows_export": Entry(
        staff_only(), data={"format": "xlsx"}, note="every staff role may export (EXPORT_ALL); journaled"
    ),
}
