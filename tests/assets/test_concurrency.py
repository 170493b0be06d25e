"""Four property officers record the sale of the same forfeited car at once: the asset row
lock lets exactly one through, so the proceeds reach the fund once. PostgreSQL only (SQLite
serialises every writer anyway)."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from safeharbor.assets import services
from safeharbor.assets.choices import DispositionMethod
from safeharbor.assets.models import Disposition, SeizedAsset
from safeharbor.funds.models import Receipt

from .conftest import days_ago, seize_car

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks: PostgreSQL"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_concurrent_sales_of_one_car_post_its_proceeds_once(
    keeper, detective, exploiter, investigation, policy, fund
):
    car = seize_car(detective, exploiter, investigation)
    for state, days, extra in (
        ("notice_sent", 100, {"notice_recipients": "Owner", "notice_method": "publication"}),
        ("no_claim", 60, {}),
        ("forfeited", 55, {}),
    ):
        services.forfeiture_advance(
            membership=keeper, asset=car, to_state=state, occurred_on=days_ago(days), **extra
        )
    barrier = threading.Barrier(4)
    outcomes: list[str] = []

    def sell() -> None:
        try:
            barrier.wait()
            services.asset_dispose(
                membership=keeper,
                asset=SeizedAsset.objects.get(pk=car.pk),
                method=DispositionMethod.SOLD,
                disposed_on=days_ago(10),
                gross_proceeds=Decimal("4000.00"),
            )
            outcomes.append("sold")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sell) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refused", "refused", "refused", "sold"]
    assert Disposition.objects.filter(asset=car).count() == 1
    assert Receipt.objects.filter(fund=fund).count() == 1
