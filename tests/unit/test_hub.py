"""kit.hub (what deploy/jupyterhub/jupyterhub_config.py calls) and the deploy/ files.

The Kubernetes values cannot run here: they are parsed and checked for the keys the Zero to
JupyterHub chart reads, and for agreeing with the loopback config (same groups, roles,
service, exchange path).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from kit.errors import InputError
from kit.hub import cohort_groups, cohort_roles, hub_settings, prepare_home, write_shared_config

yaml = pytest.importorskip("yaml")

REPO = Path(__file__).resolve().parents[2]
K8S = REPO / "deploy" / "kubernetes"


@pytest.mark.parametrize(("env", "problem"), [
    ({}, "CROSSTALK_GRADEBOOK_URL"),
    ({"CROSSTALK_DEMO": "1", "CROSSTALK_HUB_API_PORT": "80x"}, "not a port"),
    ({"CROSSTALK_DEMO": "1", "CROSSTALK_GRADERS": "Lead Person!"}, "cannot be JupyterHub"),
])
def test_hub_settings_refuse_bad_environments(env: dict, problem: str) -> None:
    with pytest.raises(InputError, match=problem):
        hub_settings(env)


def test_hub_settings_read_the_environment(tmp_path: Path) -> None:
    settings = hub_settings({"CROSSTALK_HUB_STATE": str(tmp_path), "CROSSTALK_GRADERS": "Lead, ops",
                             "CROSSTALK_GRADEBOOK_URL": "postgresql+psycopg://g@db/grades"})
    assert settings.graders == ["lead", "ops"] and not settings.demo
    assert settings.exchange == tmp_path / "exchange" and settings.hub_port == 8081


def test_groups_take_the_roster_and_the_formgrader_user(tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text("learner_id,name,role\nAnn,Ann A,marketing\nian,Ian I,IT\n", "utf-8")
    groups = cohort_groups("crosstalk", ["mo"], ["lead"], roster)
    assert groups == {"nbgrader-crosstalk": {"users": ["ann", "ian", "mo"]},
                      "formgrade-crosstalk": {"users": ["grader-crosstalk", "lead"]}}


def test_only_graders_may_open_the_formgrader() -> None:
    roles = {role["name"]: role for role in cohort_roles("crosstalk")}
    access = [name for name, role in roles.items()
              if "access:services!service=crosstalk" in role["scopes"]]
    assert access == ["formgrade-crosstalk"]
    assert roles["formgrade-crosstalk"]["groups"] == ["formgrade-crosstalk"]
    with_api = cohort_roles("crosstalk", api_service="crosstalk-api")
    assert "crosstalk-api" in {role["name"] for role in with_api}


def test_first_login_copies_workshops_once_and_names_the_learner(tmp_path: Path) -> None:
    workshops = tmp_path / "workshops"
    workshops.mkdir()
    for name in ("01-redirects.ipynb", "team-lead-review.ipynb"):
        (workshops / name).write_text("{}", "utf-8")
    home = tmp_path / "home" / "ann"
    assert [p.name for p in prepare_home(home, "ann", workshops)] == ["01-redirects.ipynb"]
    (home / "workshops" / "01-redirects.ipynb").write_text("my work", "utf-8")
    assert prepare_home(home, "ann", workshops) == []
    assert (home / "workshops" / "01-redirects.ipynb").read_text("utf-8") == "my work"
    assert "student_id = 'ann'" in (home / "nbgrader_config.py").read_text("utf-8")
    with pytest.raises(InputError):
        prepare_home(home, "../evil", workshops)


def test_shared_config_points_at_the_exchange(tmp_path: Path) -> None:
    settings = hub_settings({"CROSSTALK_HUB_STATE": str(tmp_path), "CROSSTALK_DEMO": "1"})
    write_shared_config(settings)
    text = (settings.shared_config / "nbgrader_config.py").read_text("utf-8")
    assert f"c.Exchange.root = {str(settings.exchange)!r}" in text
    assert settings.exchange.stat().st_mode & 0o1777 == 0o1777
    ast.parse(text)


# --- deploy/kubernetes ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def values() -> dict:
    return yaml.safe_load((K8S / "values.yaml").read_text("utf-8"))


@pytest.fixture(scope="module")
def objects() -> dict[tuple[str, str], dict]:
    docs = [d for d in yaml.safe_load_all((K8S / "formgrader.yaml").read_text("utf-8")) if d]
    return {(d["kind"], d["metadata"]["name"]): d for d in docs}


@pytest.mark.parametrize("path", [
    "hub.config.JupyterHub.load_groups", "hub.config.JupyterHub.authenticator_class",
    "hub.loadRoles", "hub.services.crosstalk.url", "singleuser.image.name",
    "singleuser.image.tag", "singleuser.storage.extraVolumes",
    "singleuser.storage.extraVolumeMounts", "singleuser.extraEnv", "singleuser.defaultUrl",
    "singleuser.lifecycleHooks.postStart.exec.command",
])
def test_values_have_the_keys_zero_to_jupyterhub_reads(values: dict, path: str) -> None:
    node = values
    for key in path.split("."):
        assert isinstance(node, dict) and key in node, f"{path}: no {key!r}"
        node = node[key]
    assert node not in (None, "", {})


def test_values_agree_with_the_loopback_config(values: dict) -> None:
    roles = {role["name"]: {k: v for k, v in role.items() if k != "name"}
             for role in cohort_roles("crosstalk")}
    assert values["hub"]["loadRoles"] == roles
    groups = values["hub"]["config"]["JupyterHub"]["load_groups"]
    assert set(groups) == set(cohort_groups("crosstalk", [], []))
    assert "grader-crosstalk" in groups["formgrade-crosstalk"]["users"]


def test_volumes_mounts_and_objects_fit_together(values: dict, objects: dict) -> None:
    storage = values["singleuser"]["storage"]
    volumes = {v["name"]: v for v in storage["extraVolumes"]}
    mounts = {m["name"]: m["mountPath"] for m in storage["extraVolumeMounts"]}
    assert set(mounts) == set(volumes)
    claim = volumes["exchange"]["persistentVolumeClaim"]["claimName"]
    assert objects[("PersistentVolumeClaim", claim)]["spec"]["accessModes"] == ["ReadWriteMany"]
    config = objects[("ConfigMap", volumes["crosstalk-jupyter-config"]["configMap"]["name"])]
    root = re.search(r'c\.Exchange\.root = "([^"]+)"', config["data"]["nbgrader_config.py"])
    assert root and root.group(1) == mounts["exchange"]
    assert values["singleuser"]["extraEnv"]["JUPYTER_CONFIG_PATH"] == mounts[
        "crosstalk-jupyter-config"]
    deployment = objects[("Deployment", "crosstalk-formgrader")]["spec"]["template"]["spec"]
    container = deployment["containers"][0]
    assert {m["mountPath"] for m in container["volumeMounts"]} >= {mounts["exchange"]}
    port = container["ports"][0]["containerPort"]
    service = objects[("Service", "crosstalk-formgrader")]
    assert values["hub"]["services"]["crosstalk"]["url"] == (
        f"http://{service['metadata']['name']}:{service['spec']['ports'][0]['port']}")
    assert service["spec"]["ports"][0]["targetPort"] == port
    env = {e["name"]: e for e in container["env"]}
    assert env["JUPYTERHUB_API_TOKEN"]["valueFrom"]["secretKeyRef"]["key"] == (
        "hub.services.crosstalk.apiToken")
    assert env["CROSSTALK_GRADEBOOK_URL"]["valueFrom"]["secretKeyRef"]["name"] == (
        "crosstalk-gradebook")
