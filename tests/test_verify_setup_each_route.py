"""`migrate verify --setup-each route` where both sides share their state.

The setup ran before a route's first case on each side, and the cases alternated between the
sides: on one shared database (Dallinger's PostgreSQL, or the legacy module's own objects, which
the generated app's legacy app shares when both are the same import) the generated app's setup
undid the legacy app's first write, then each side saw the other's: `POST /participant` got 200
from Flask and "worker has already participated" from FastAPI. A route's cases now run on the
legacy app, then on the generated app.
"""

from __future__ import annotations

from pathlib import Path

from migrator.verify.casefile import load_case_file
from migrator.verify.run import VerifyInputs, verify_routes
from tests.example_support import converted_snippet

LEGACY = '''
from flask import Flask

app = Flask(__name__)
ITEMS = []


@app.post("/items")
def add_item():
    ITEMS.append(1)
    return {"count": len(ITEMS)}


def reset(_app):
    ITEMS.clear()
'''

CASES = """
cases:
  - {method: POST, path: /items}
  - {method: POST, path: /items}
  - {method: POST, path: /items}
"""


def test_each_side_sees_its_own_writes_where_the_two_share_their_state(tmp_path: Path) -> None:
    (tmp_path / "cases.yaml").write_text(CASES, encoding="utf-8")
    with converted_snippet(tmp_path, "shared_state_app", LEGACY, "shared_state_fastapi") as (
            result, _out, _legacy):
        assert len(result.converted) == 1
        verified = verify_routes(VerifyInputs(
            "shared_state_app:app", "shared_state_fastapi.main:app", generate=False,
            setup="shared_state_app:reset", setup_each="route",
            case_file=load_case_file(tmp_path / "cases.yaml")))
    [route] = verified.routes
    assert [(o.legacy.body, o.new.body) for o in route.outcomes] == [
        (f'{{"count":{n}}}\n'.encode(),) * 2 for n in (1, 2, 3)]
    assert verified.ok
