"""View classes with more than one base convert with the methods, `decorators` and
`dispatch_request` Python finds for them (their method resolution order), as klaus's
`IndexView(TreeViewMixin, ReadmeMixin, BaseRepoView)` does: the scan records the classes of the
view's module in that order (`Route.view_classes`), and convert looks names up in them.

Before, convert followed single inheritance only and the scan kept every view whose
`dispatch_request` sat in a base beside a mixin on Flask (`scan.unseen_dispatch`): 16 of
klaus's 34 rules. A diamond is not walked depth first (`Diamond(Left, Right)` runs `Right.get`,
not the shared base's), and a base of another module that comes first in the order
(`RemoteFirst(RemoteGet, LocalBase)`) hides what follows it: its `get` is the one that runs.
"""

from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient

from tests.example_support import converted_snippet

LEGACY = '''
from flask import Flask, abort, request
from flask.views import MethodView, View

from .remote import RemoteGet, RemoteCheck

app = Flask(__name__)


class BaseRepoView(View):
    """A view with a repository context (klaus's shape)."""

    def __init__(self, view_name):
        self.view_name = view_name
        self.context = {}

    def dispatch_request(self, repo, rev=None):
        """Check the key, build the context, answer."""
        if request.headers.get("X-Key") != "k":
            abort(401)
        self.make_context(repo, rev)  # the mixins add to it
        return self.get_response()

    def get_response(self):
        return self.context

    def make_context(self, repo, rev):
        self.context = {"view": self.view_name, "repo": repo, "rev": rev}


class TreeMixin:
    def make_context(self, *args):
        super().make_context(*args)
        self.context["tree"] = True


class ReadmeMixin:
    def make_context(self, *args):
        super().make_context(*args)
        self.context["readme"] = ["tree" in self.context]


class IndexView(TreeMixin, ReadmeMixin, BaseRepoView):
    pass


class Base(MethodView):
    def get(self):
        return {"from": "Base"}


class Left(Base):
    pass


class Right(Base):
    def get(self):
        return {"from": "Right"}


class Diamond(Left, Right):
    pass


class LocalBase(MethodView):
    def get(self):
        return {"from": "LocalBase"}


class RemoteFirst(RemoteGet, LocalBase):
    pass


class Checked(RemoteCheck, LocalBase):
    pass


app.add_url_rule("/<repo>/", view_func=IndexView.as_view("index", "index"))
app.add_url_rule("/<repo>/tree/<rev>", view_func=IndexView.as_view("tree", "tree"))
app.add_url_rule("/diamond", view_func=Diamond.as_view("diamond"))
app.add_url_rule("/remote-first", view_func=RemoteFirst.as_view("remote_first"))
app.add_url_rule("/checked", view_func=Checked.as_view("checked"))
'''

REMOTE = '''
from flask import abort, request


class RemoteGet:
    def get(self):
        return {"from": "RemoteGet"}


class RemoteCheck:
    def dispatch_request(self, **kwargs):
        if request.headers.get("X-Key") != "k":
            abort(401)
        return super().dispatch_request(**kwargs)
'''

INDEX = '''@router.get("/{repo}/", name="index")
@bridge.route
def index(repo: str, *, x_key: Annotated[str | None, Header(alias="X-Key", convert_underscores=False)] = None):
    """Check the key, build the context, answer."""
    rev = None  # FM001: not in the rule, so Flask always passed this default
    self = view_instance("index")  # the instance Flask dispatches to
    if x_key != "k":
        raise HTTPException(status_code=401)
    self.make_context(repo, rev)  # the mixins add to it
    return self.get_response()
'''


def test_views_with_several_bases_convert_with_what_python_looks_up(tmp_path: Path) -> None:
    sources = {"__init__.py": LEGACY, "remote.py": REMOTE}
    with converted_snippet(tmp_path, "mro_views", sources, "mro_views_fastapi") as (
            result, out, _legacy):
        assert [route.view_classes for route in result.scan.routes] == [
            ["IndexView", "TreeMixin", "ReadmeMixin", "BaseRepoView"],
            ["IndexView", "TreeMixin", "ReadmeMixin", "BaseRepoView"],
            ["Diamond", "Left", "Right", "Base"],  # not Left, Base, Right: C3, not depth first
            ["RemoteFirst"],  # remote.RemoteGet comes next: its body is not read
            ["Checked"]]
        assert sorted(view.route.rule for view in result.converted) == [
            "/<repo>/", "/<repo>/tree/<rev>", "/diamond", "/remote-first"]
        assert [(entry.route.rule, entry.reasons[0]) for entry in result.left] == [
            ("/checked", ("scan.unseen_dispatch: RemoteCheck.dispatch_request (remote.py), "
                          "which Flask may run for every request of Checked, is in a base class "
                          "that convert does not read (one in another module, or after one "
                          "there); the route stays on Flask"))]
        router = (out / "routers" / "app_routes.py").read_text()
        assert INDEX in router
        assert '    return {"from": "Right"}\n' in router
        assert "LocalBase" not in router  # RemoteGet.get runs, through MethodView's dispatch

        import mro_views
        from mro_views_fastapi.main import create_app

        flask_client = mro_views.app.test_client()
        with TestClient(create_app(mro_views.app)) as client:
            for method in ("GET", "POST", "HEAD", "OPTIONS"):
                for path in ("/r/", "/r/tree/main", "/diamond", "/remote-first", "/checked"):
                    for headers in ({}, {"X-Key": "k"}):
                        legacy = flask_client.open(path, method=method, headers=headers)
                        new = client.request(method, path, headers=headers)
                        assert (new.status_code, new.content, new.headers.get("Allow")) == (
                            legacy.status_code, legacy.data, legacy.headers.get("Allow")), (
                            method, path, headers)
        assert flask_client.get("/r/tree/main", headers={"X-Key": "k"}).json == {
            "view": "tree", "repo": "r", "rev": "main", "tree": True, "readme": [False]}
        assert flask_client.get("/diamond").json == {"from": "Right"}
        assert flask_client.get("/remote-first").json == {"from": "RemoteGet"}
        assert flask_client.get("/checked").status_code == 401
