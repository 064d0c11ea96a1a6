"""Every action of ``crosstalk`` documents the one exit-code policy and every option."""

from __future__ import annotations

import argparse
import re

import pytest

from kit.cli import build_parser


def _leaves(parser: argparse.ArgumentParser,
            prefix: str = "") -> list[tuple[str, argparse.ArgumentParser]]:
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                found += _leaves(child, f"{prefix} {name}".strip())
    return found or [(prefix, parser)]


ACTIONS = _leaves(build_parser())


def test_every_action_is_listed() -> None:
    assert len(ACTIONS) >= 23, [name for name, _ in ACTIONS]  # 21 of issue 19, handout, schedule


@pytest.mark.parametrize(("name", "parser"), ACTIONS, ids=[name for name, _ in ACTIONS])
def test_help_documents_exit_codes_and_every_option(name: str,
                                                    parser: argparse.ArgumentParser) -> None:
    epilog = parser.epilog or ""
    assert "exit status:" in epilog, name
    codes = re.findall(r"^  ([012])  ", epilog, flags=re.MULTILINE)
    assert codes[0] == "0" and codes[-1] == "2" and codes == sorted(codes), epilog
    assert isinstance(parser.formatter_class, type) and issubclass(
        parser.formatter_class, argparse.RawDescriptionHelpFormatter), name
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction):
            continue
        assert action.help, f"crosstalk {name}: {action.option_strings or action.dest} has no help"


def test_top_level_help_states_the_policy(capsys) -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args(["--help"])
    out = capsys.readouterr().out
    assert "0  clean" in out and "1  findings" in out and "2  the input cannot be used" in out
