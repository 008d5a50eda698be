"""A view class deriving from a class outside the project stays on Flask.

`class Course(TokenView)`, with `TokenView` a third-party `MethodView` whose `dispatch_request`
checks a token before every method, was converted to one endpoint per method, each the method's
body: `/courses/1` answered 200 without the token, where Flask answers 401. The scan read the
project's base classes (`scan.unseen_dispatch` for a `dispatch_request` in one convert does not
read), but not a base from outside the project, whose `dispatch_request`, `decorators` and
methods it cannot see. Such a route now stays on Flask (`scan.unread_base`), and the generated
app answers it through the legacy app. Flask's own views and bases that add nothing Flask runs
(`object`, `abc.ABC`, `typing.Generic[T]`) still convert.
"""

from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient

from tests.example_support import converted_snippet

THIRD_PARTY = '''
from flask import abort, request
from flask.views import MethodView


class TokenView(MethodView):
    def dispatch_request(self, **kwargs):
        if request.headers.get("X-Token") != "secret":
            abort(401)
        return super().dispatch_request(**kwargs)
'''

LEGACY = '''
import abc
from typing import Generic, TypeVar

from flask import Flask
from flask.views import MethodView

import token_views
from token_views import TokenView

T = TypeVar("T")
app = Flask(__name__)


class ProjectBase(TokenView):
    """The project's own base, itself on the third-party one."""


class Course(TokenView):
    def get(self, course_id):
        return {"course": course_id}


class Lesson(ProjectBase):
    def get(self, lesson_id):
        return {"lesson": lesson_id}


class Remote(token_views.TokenView):
    def get(self):
        return {"remote": True}


class Mixin(object):
    label = "plain"


class Plain(Mixin, abc.ABC, Generic[T], MethodView):
    def get(self):
        return {"plain": self.label}


app.add_url_rule("/courses/<int:course_id>", view_func=Course.as_view("course"))
app.add_url_rule("/lessons/<int:lesson_id>", view_func=Lesson.as_view("lesson"))
app.add_url_rule("/plain", view_func=Plain.as_view("plain"))
app.add_url_rule("/remote", view_func=Remote.as_view("remote"))
'''


def test_a_view_on_a_third_party_base_stays_on_flask(tmp_path: Path) -> None:
    (tmp_path / "legacy" / "token_views").mkdir(parents=True)
    (tmp_path / "legacy" / "token_views" / "__init__.py").write_text(THIRD_PARTY,
                                                                      encoding="utf-8")
    with converted_snippet(tmp_path, "courses_app", LEGACY, "courses_fastapi") as (
            result, _out, _legacy):
        assert [view.route.rule for view in result.converted] == ["/plain"]
        left = {entry.route.rule: entry.reasons[0] for entry in result.left}
        assert left == {
            "/courses/<int:course_id>": (
                "scan.unread_base: Course (__init__.py) derives from `TokenView` "
                "(`token_views.TokenView`), a class from outside the project whose "
                "`dispatch_request`, `decorators` and methods Flask runs for every request of "
                "Course and the scan does not read; the route stays on Flask"),
            "/lessons/<int:lesson_id>": (
                "scan.unread_base: ProjectBase (__init__.py) derives from `TokenView` "
                "(`token_views.TokenView`), a class from outside the project whose "
                "`dispatch_request`, `decorators` and methods Flask runs for every request of "
                "Lesson and the scan does not read; the route stays on Flask"),
            "/remote": (
                "scan.unread_base: Remote (__init__.py) derives from `token_views.TokenView`, a "
                "class from outside the project whose `dispatch_request`, `decorators` and "
                "methods Flask runs for every request of Remote and the scan does not read; the "
                "route stays on Flask"),
        }
        import courses_app
        from courses_fastapi.main import create_app

        flask_client = courses_app.app.test_client()
        with TestClient(create_app(courses_app.app)) as client:
            for path, headers in [("/courses/1", {}), ("/courses/1", {"X-Token": "secret"}),
                                  ("/lessons/2", {}), ("/lessons/2", {"X-Token": "secret"}),
                                  ("/remote", {}), ("/plain", {})]:
                legacy_answer = flask_client.get(path, headers=headers)
                new = client.get(path, headers=headers)
                assert (new.status_code, new.content) == (
                    legacy_answer.status_code, legacy_answer.data), (path, headers)
        assert flask_client.get("/courses/1").status_code == 401
