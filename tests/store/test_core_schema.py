"""The Core views of core_schema name real columns of the models' tables, with the models' types."""

from __future__ import annotations

import pytest
from sqlalchemy.sql.expression import TableClause

from app.store import core_schema
from app.store.models import Base, ClientSummary

VIEWS = [v for v in vars(core_schema).values() if isinstance(v, TableClause) and v is not core_schema.client_summary]


def test_there_are_views_to_check():
    assert {v.name for v in VIEWS} >= {"settings", "users", "profile_meta", "targets", "segments", "products",
                                       "holdings"}


@pytest.mark.parametrize("view", VIEWS, ids=lambda v: v.name)
def test_each_view_matches_the_model_table(view):
    model = Base.metadata.tables[view.name]
    for col in view.c:
        assert col.name in model.c, f"{view.name}.{col.name} is not a column of the model"
        assert isinstance(model.c[col.name].type, type(col.type)), (view.name, col.name, model.c[col.name].type)


def test_the_orm_maps_the_core_client_summary():
    assert ClientSummary.__table__ is core_schema.client_summary
    assert Base.metadata.tables["client_summary"] is core_schema.client_summary
