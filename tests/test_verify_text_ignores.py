"""Ignoring part of a text answer: `re:` and a regular expression.

Dallinger's pages hold a Flask-WTF CSRF token, which differs on each side (each has its own
session); 11 of the 13 cases `migrate verify` reported there differed only so. Ignores were JSON
pointers only, so an HTML page with a token could not be verified. An ignore entry may now be
`re:` and a regular expression: its matches are left out of both text answers (HTML, XML, plain
text) before they are compared. JSON pointers keep their meaning; a `re:` entry does not apply to
JSON answers. A bad expression is reported where it is written (cases file, state file,
command line).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from migrator.cli import app as cli_app
from migrator.verify.casefile import load_case_file
from migrator.verify.compare import Answer, CompareOptions, compare_answers, ignore_problem
from tests.example_support import converted_snippet

TOKEN = 're:name="csrf_token" type="hidden" value="[^"]*"'


def page(token: str) -> Answer:
    html = (f'<form method="post">\n  <input id="csrf_token" name="csrf_token" type="hidden" '
            f'value="{token}">\n  <input name="title"></form>').encode()
    return Answer(200, [("content-type", "text/html; charset=utf-8")], html)


def test_a_text_answer_leaves_out_what_a_re_entry_matches() -> None:
    legacy, new = page("IjA1ZjQ.aZ1"), page("ImQ2ZTk.bX2")
    assert [m.aspect for m in compare_answers(legacy, new, CompareOptions())] == ["body"]
    assert compare_answers(legacy, new, CompareOptions(ignore=(TOKEN,))) == []
    # only the matches: a change elsewhere is still one
    changed = Answer(200, new.headers, new.body.replace(b'name="title"', b'name="name"'))
    assert [m.aspect for m in compare_answers(legacy, changed, CompareOptions(
        ignore=(TOKEN,)))] == ["body"]
    # a JSON answer keeps its pointers, and a `re:` entry does not touch it
    first = Answer(200, [("content-type", "application/json")], b'{"a":1,"token":"x"}\n')
    second = Answer(200, [("content-type", "application/json")], b'{"a":1,"token":"y"}\n')
    assert [m.aspect for m in compare_answers(first, second, CompareOptions(
        ignore=('re:"token":"[xy]"',)))] == ["json"]
    assert compare_answers(first, second, CompareOptions(ignore=("/token",))) == []


def test_bad_entries_are_named() -> None:
    assert ignore_problem("/created_at") is None and ignore_problem("") is None
    assert ignore_problem(TOKEN) is None
    assert ignore_problem("re:") == "'re:': no regular expression after 're:'"
    assert ignore_problem("re:(unclosed").startswith(
        "'re:(unclosed': not a regular expression (missing ), unterminated subpattern")
    assert ignore_problem("created_at") == (
        "'created_at': not a JSON pointer (RFC 6901: '' or '/a/0/b', with ~0 for '~' and ~1 for "
        "'/'), nor 're:' and a regular expression")
    # as strict as the state file's (one validator): `~` only as `~0` or `~1`
    assert ignore_problem("/a~2b") == (
        "'/a~2b': not a JSON pointer (RFC 6901: '' or '/a/0/b', with ~0 for '~' and ~1 for "
        "'/'), nor 're:' and a regular expression")
    assert ignore_problem("/a~0b/items/*/id") is None


def test_a_cases_file_reports_a_bad_expression_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "cases.yaml"
    path.write_text("ignore:\n"
                    "  '/form': ['re:value=\"[^\"]*\"', /created_at]\n"
                    "  '/bad': ['re:(unclosed']\n")
    loaded = load_case_file(path)
    assert loaded.ignore == {"/form": ['re:value="[^"]*"', "/created_at"]}
    [problem] = loaded.problems
    assert problem.line == 3 and problem.reason.startswith(
        "ignore./bad: 're:(unclosed': not a regular expression")


def test_a_state_file_takes_re_entries_and_names_a_bad_one(tmp_path: Path) -> None:
    from migrator.proxy.state import StateError, load_plan

    path = tmp_path / "migration.toml"
    head = ('version = 1\n\n[legacy]\nupstreams = ["127.0.0.1:8000"]\n\n'
            '[new]\nupstreams = ["127.0.0.1:8001"]\n\n[verify]\n')
    path.write_text(head + 'ignore = ["/created_at"]\n\n[[route]]\nrule = "/notes/new"\n'
                    'methods = ["GET"]\nendpoint = "new_note"\nstage = "shadow"\n'
                    'ignore = [\'re:token="[^"]*"\']\n')
    [route] = load_plan(path, check_routes=False).routes
    assert route.ignore == ("/created_at", 're:token="[^"]*"')
    path.write_text(head + 'ignore = ["re:(unclosed"]\n')
    with pytest.raises(StateError, match=r"ignore: 're:\(unclosed': not a regular expression"):
        load_plan(path, check_routes=False)


FORM_APP = '''
from flask import Flask, render_template_string
from flask_wtf import FlaskForm
from wtforms import StringField

app = Flask(__name__)
app.config["SECRET_KEY"] = "not secret"


class NoteForm(FlaskForm):
    title = StringField("title")


@app.get("/notes/new")
def new_note():
    form = NoteForm()
    return render_template_string(
        '<form method="post">{{ form.csrf_token }} {{ form.title() }}</form>', form=form)
'''


def test_verify_passes_a_page_with_a_csrf_token_once_told_to_leave_it_out(
        tmp_path: Path, monkeypatch) -> None:
    with converted_snippet(tmp_path, "notes_app", FORM_APP, "notes_fastapi") as (
            result, _out, _legacy):
        assert [view.route.rule for view in result.converted] == ["/notes/new"]
        monkeypatch.chdir(tmp_path)
        arguments = ["verify", "--legacy", "notes_app:app", "--new", "notes_fastapi.main:app",
                     "--route", "/notes/new"]
        without = CliRunner().invoke(cli_app, arguments)
        assert without.exit_code == 1, without.output
        assert "csrf_token" in without.stdout
        token = 're:id="csrf_token" name="csrf_token" type="hidden" value="[^"]*"'
        told = CliRunner().invoke(cli_app, [*arguments, "--ignore", token])
        assert told.exit_code == 0, told.output
    bad = CliRunner().invoke(cli_app, [*arguments, "--ignore", "re:(unclosed"])
    assert bad.exit_code == 2
    assert bad.stderr.startswith("migrate: error: --ignore takes JSON pointers or 're:' and a "
                                 "regular expression: 're:(unclosed': not a regular expression")
