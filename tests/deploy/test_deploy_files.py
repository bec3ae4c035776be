"""What deploy/ ships runs the product as the code offers it: the systemd units pass
`systemd-analyze verify` and start commands the `sunlight` CLI has; compose.yaml runs a primary, a
replica made by pg_basebackup -R, init, web, projections and the sealer on the CLI's commands;
the Containerfile builds the wheel CI tests, by CI's command, from the files it copies.

Rule: every read model is followed by exactly one service, in compose and in systemd alike.
No test here needs a container engine (see tests/deploy/rehearse_compose.sh for a run).
"""

from __future__ import annotations

import hashlib
import os
import re
import shlex
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import click
import pytest

from api.cli import main
from projections.runner import PROJECTIONS

CHECKOUT = Path(__file__).resolve().parents[2]
DEPLOY = CHECKOUT / "deploy"
UNITS = DEPLOY / "systemd"
INSTALLED_BIN = "/opt/sunlight/bin/"  # where docs/deploy.md installs the wheel's environment
READ_MODELS = {projection.name for projection in PROJECTIONS}
SERVICES = {"primary", "replica", "init", "web", "projections", "sealer"}


def cli_command(args: list[str]) -> tuple[click.Command, dict[str, object]]:
    """The `sunlight` command these arguments name, and its parsed options: an unknown command
    or option fails here as it would at start."""
    command: click.Command = main
    args = list(args)
    while isinstance(command, click.Group):
        command = command.commands[args.pop(0)]
    context = command.make_context(command.name or "", args)
    return command, context.params


def followed(args: list[str]) -> set[str]:
    """The read models `sunlight projections run` with these arguments follows."""
    command, params = cli_command(args)
    assert command.name == "run", args
    only, skip = set(params["only"]), set(params["skip"])
    return {name for name in READ_MODELS if (not only or name in only) and name not in skip}


def exactly_once(followers: list[set[str]]) -> None:
    assert set().union(*followers) == READ_MODELS
    assert sum(len(names) for names in followers) == len(READ_MODELS), followers


# systemd


def unit(name: str) -> dict[str, list[str]]:
    """A unit file's keys, each with its values in order (systemd allows a key more than once)."""
    keys: dict[str, list[str]] = {}
    for line in (UNITS / name).read_text().splitlines():
        if "=" in line and not line.startswith(("#", ";", "[")):
            key, value = line.split("=", 1)
            keys.setdefault(key.strip(), []).append(value.strip())
    return keys


SERVICE_UNITS = sorted(path.name for path in UNITS.glob("*.service"))


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze here")
def test_systemd_analyze_verifies_every_unit(tmp_path):
    # Given the units, with the installed environment's path pointing at this one, whose bin
    # holds the same `sunlight` and `gunicorn` (verify checks that ExecStart's binary exists)
    here = str(Path(sys.executable).parent) + "/"
    for path in UNITS.iterdir():
        (tmp_path / path.name).write_text(path.read_text().replace(INSTALLED_BIN, here))
    # When systemd verifies them
    done = subprocess.run(
        ["systemd-analyze", "verify", *sorted(str(p) for p in tmp_path.glob("sunlight*.*")
                                              if p.suffix in {".service", ".target"})],
        capture_output=True, text=True, timeout=30, check=False)
    # Then it accepts them, without a word about any of them (an unknown key is only a warning)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "sunlight" not in output, output


@pytest.mark.parametrize("name", SERVICE_UNITS)
def test_each_service_runs_as_its_user_hardened(name):
    keys = unit(name)
    assert keys["User"] == ["sunlight"] and keys["StateDirectory"] == ["sunlight"]
    for key, value in {"ProtectSystem": "strict", "NoNewPrivileges": "yes", "ProtectHome": "yes",
                       "PrivateTmp": "yes", "CapabilityBoundingSet": "", "UMask": "0077"}.items():
        assert keys[key] == [value], (name, key)
    assert keys["EnvironmentFile"] == ["/etc/sunlight/sunlight.env"]
    [start] = keys["ExecStart"]
    assert start.startswith(INSTALLED_BIN), start
    if start.startswith(INSTALLED_BIN + "sunlight "):
        cli_command(shlex.split(start)[1:])  # a command the CLI has, with options it takes


def test_init_runs_once_before_web_projections_and_the_sealer():
    assert unit("sunlight-init.service")["Type"] == ["oneshot"]
    assert unit("sunlight-init.service")["ExecStart"] == [INSTALLED_BIN + "sunlight init"]
    for name in ("sunlight-web.service", "sunlight-projections.service",
                 "sunlight-sealer.service"):
        keys = unit(name)
        assert "sunlight-init.service" in keys["Requires"][0].split(), name
        assert "sunlight-init.service" in keys["After"][0].split(), name
    target = unit("sunlight.target")["Wants"][0].split()
    assert set(target) == {f"sunlight-{n}.service" for n in ("init", "web", "projections",
                                                             "sealer")}
    web = unit("sunlight-web.service")
    assert web["ExecStart"] == [INSTALLED_BIN + "gunicorn --config /etc/sunlight/gunicorn.conf.py"]


def test_systemd_follows_every_read_model_exactly_once():
    exactly_once([followed(shlex.split(unit(name)["ExecStart"][0])[1:])
                  for name in ("sunlight-projections.service", "sunlight-sealer.service")])
    assert followed(shlex.split(unit("sunlight-sealer.service")["ExecStart"][0])[1:]) == {"audit"}


# compose


@pytest.fixture(scope="module")
def compose() -> dict:
    yaml = pytest.importorskip("yaml")  # PyYAML comes with the test extras (schemathesis)
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())  # merge keys (<<) resolved


def test_compose_runs_a_primary_a_replica_and_the_product(compose):
    services = compose["services"]
    assert set(services) == SERVICES
    # the official postgres image, the same for both, so the replica's copy starts
    assert services["primary"]["image"] == services["replica"]["image"]
    assert services["primary"]["image"].startswith("postgres:")
    # the replica is a pg_basebackup -R copy of the primary, made once, then a hot standby
    [_, script] = services["replica"]["entrypoint"]
    mounted = {target: source for source, target, *_ in
               (volume.split(":") for volume in services["replica"]["volumes"])}
    replica_start = (DEPLOY / mounted[script]).read_text()
    assert re.search(r"pg_basebackup .*--write-recovery-conf", replica_start.replace("\\\n", ""))
    assert "--slot=replica1" in replica_start
    primary_init = services["primary"]["volumes"][1].split(":")[0]
    assert "pg_create_physical_replication_slot('replica1')" in (DEPLOY / primary_init).read_text()
    assert "host replication replicator" in (DEPLOY / primary_init).read_text()
    # executed by the image's entrypoint, not sourced into its shell
    assert os.access(DEPLOY / primary_init, os.X_OK)


def test_env_example_names_every_variable_compose_asks_for():
    asked = set(re.findall(r"\$\{(\w+)", (DEPLOY / "compose.yaml").read_text()))
    example = (DEPLOY / "env.example").read_text()
    named = set(re.findall(r"^#? ?(\w+)=", example, flags=re.MULTILINE))
    assert asked == named, (asked, named)


def test_compose_runs_init_first_then_each_service_on_a_cli_command(compose):
    services = compose["services"]
    assert services["init"]["command"] == ["sunlight", "init"]
    assert services["init"]["depends_on"]["primary"]["condition"] == "service_healthy"
    for name in ("web", "projections", "sealer"):
        assert services[name]["depends_on"] == {
            "init": {"condition": "service_completed_successfully"}}, name
    for name in ("init", "projections", "sealer"):
        cli_command(services[name]["command"][1:])
    assert "command" not in services["web"]  # the image's: gunicorn on the project's settings
    exactly_once([followed(services[name]["command"][1:]) for name in ("projections", "sealer")])


def test_compose_gives_each_product_service_the_database_and_the_keys(compose):
    for name in ("init", "web", "projections", "sealer"):
        service = compose["services"][name]
        env = service["environment"]
        assert env["SUNLIGHT_DATABASE_URL"].startswith("postgresql://sunlight:"), name
        assert env["SUNLIGHT_DATABASE_URL"].endswith("@primary:5432/sunlight"), name
        assert "@replica:5432/" in env["SUNLIGHT_DATABASE_REPLICA_URLS"], name
        assert service["volumes"] == [f"keys:{env['SUNLIGHT_DATA_DIR']}"], name
        assert service["read_only"] is True and service["cap_drop"] == ["ALL"], name
        assert service["build"] == {"context": "..", "dockerfile": "deploy/Containerfile"}
    assert set(compose["volumes"]) == {"primary-data", "replica-data", "keys"}


def docker_compose_works() -> bool:
    if shutil.which("docker") is None:
        return False
    return subprocess.run(["docker", "compose", "version"], capture_output=True,
                          check=False).returncode == 0


@pytest.mark.skipif(not docker_compose_works(), reason="no `docker compose` here")
def test_docker_compose_accepts_the_file():
    env = {"PATH": "/usr/bin:/bin:/usr/local/bin", "POSTGRES_PASSWORD": "x",
           "REPLICATION_PASSWORD": "y", "SUNLIGHT_PUBLIC_URL": "https://cunwu.example.cn"}
    done = subprocess.run(["docker", "compose", "-f", str(DEPLOY / "compose.yaml"), "config",
                           "-q"], capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0, done.stderr


# the image


def stages(containerfile: str) -> dict[str, list[tuple[str, str]]]:
    """Each stage's instructions (continued lines joined), by the stage's name."""
    text = containerfile.replace("\\\n", " ")
    result: dict[str, list[tuple[str, str]]] = {}
    current: list[tuple[str, str]] = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        instruction, _, rest = line.strip().partition(" ")
        if instruction.upper() == "FROM":
            current = result.setdefault(rest.split()[-1], [])
        current.append((instruction.upper(), " ".join(rest.split())))
    return result


IMAGE = stages((DEPLOY / "Containerfile").read_text())


def ci_wheel_command() -> list[str]:
    """The command .ci/run builds the wheel it tests with, without its quiet flag and folder."""
    [line] = [line for line in (CHECKOUT / ".ci" / "run").read_text().splitlines()
              if "pip wheel" in line]
    program, *words = shlex.split(line)
    return without_output([Path(program).name, *words])


def without_output(words: list[str]) -> list[str]:
    kept, skip = [], False
    for word in words:
        if skip:
            skip = False
        elif word == "-w":
            skip = True
        elif word != "-q":
            kept.append(word)
    return kept


def test_the_build_stage_runs_ci_s_wheel_command():
    runs = [shlex.split(args) for instruction, args in IMAGE["build"] if instruction == "RUN"]
    assert ci_wheel_command() == ["pip", "wheel", "--no-deps", "."]
    assert any(without_output(words) == ci_wheel_command() for words in runs), runs


def test_the_runtime_is_slim_non_root_with_fonts_and_gunicorn():
    runtime = IMAGE["runtime"]
    run = " ".join(args for instruction, args in runtime if instruction == "RUN")
    for package in ("fonts-noto-cjk", "libpango-1.0-0", "libpangoft2-1.0-0",
                    "libharfbuzz-subset0", "postgresql-client"):
        assert package in run.split(), package
    assert "from=build" in run and "--no-index" in run  # the build stage's wheels, offline
    [user] = [args for instruction, args in runtime if instruction == "USER"]
    assert user.split(":")[0] not in {"0", "root"}
    assert ("COPY", "deploy/gunicorn.conf.py /etc/sunlight/gunicorn.conf.py") in runtime
    [command] = [args for instruction, args in runtime if instruction == "CMD"]
    assert command == '["gunicorn", "--config", "/etc/sunlight/gunicorn.conf.py"]'
    [base] = {args.split()[0] for instruction, args in IMAGE["build"] + runtime
              if instruction == "FROM"}
    assert base == "${PYTHON_IMAGE}"


# The PostgreSQL client each Debian release ships: pg_dump refuses a server of a newer major.
DEBIAN_POSTGRESQL_CLIENT = {"bookworm": "15", "trixie": "17"}


def test_the_image_s_pg_dump_can_back_up_compose_s_server(compose):
    [base] = [line.split("=", 1)[1] for line in (DEPLOY / "Containerfile").read_text().splitlines()
              if line.startswith("ARG PYTHON_IMAGE=")]
    release = base.rsplit("-", 1)[-1]  # python:3.11-slim-bookworm
    server = compose["services"]["primary"]["image"].split(":")[1].split("-")[0]
    assert int(DEBIAN_POSTGRESQL_CLIENT[release]) >= int(server), (release, server)


def test_the_base_made_without_docker_hub_is_the_default_base_s_release_and_python():
    # deploy/base-image.sh stands in for python:3.11-slim-bookworm where Docker Hub is out of reach
    [base] = [line.split("=", 1)[1] for line in (DEPLOY / "Containerfile").read_text().splitlines()
              if line.startswith("ARG PYTHON_IMAGE=")]
    python, release = re.fullmatch(r"python:(3\.\d+)-slim-(\w+)", base).groups()
    script = (DEPLOY / "base-image.sh").read_text()
    assert re.search(rf"^    {release} \"\$root\" \"\$MIRROR\"", script, re.M), release
    # Debian's own python3 of that release is the image's Python
    assert {"bookworm": "3.11", "trixie": "3.13"}[release] == python
    assert "python-is-python3" in script and "python3-venv" in script
    subprocess.run(["bash", "-n", str(DEPLOY / "base-image.sh")], check=True)


def wheel_contents(folder: Path) -> dict[str, str]:
    [wheel] = folder.glob("sunlight_ledger-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        return {name: hashlib.sha256(archive.read(name)).hexdigest()
                for name in archive.namelist()}


def build_wheels(*builds: tuple[Path, Path]) -> list[dict[str, str]]:
    """Build each (source, dest) wheel by CI's command, at once (each waits mostly on pip)."""
    running = [(subprocess.Popen([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w",
                                  str(dest), "."], cwd=source, stdout=subprocess.PIPE,
                                 stderr=subprocess.STDOUT, text=True), dest)
               for source, dest in builds]
    for process, _ in running:
        output, _ = process.communicate(timeout=120)
        assert process.returncode == 0, output[-3000:]
    return [wheel_contents(dest) for _, dest in running]


def test_the_image_builds_the_same_wheel_ci_tests(tmp_path):
    # Given only the files the build stage copies, laid out as it copies them
    context = tmp_path / "context"
    for instruction, args in IMAGE["build"]:
        if instruction == "COPY":
            *sources, target = args.split()
            for source in sources:
                origin, dest = CHECKOUT / source, context / target / (
                    Path(source).name if target.endswith("/") or len(sources) > 1 else "")
                if origin.is_dir():
                    shutil.copytree(origin, dest, ignore=shutil.ignore_patterns(
                        "__pycache__", "*.mo"))
                else:
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(origin, dest)
    # When the wheel is built there by CI's command, and from the checkout as CI builds it
    from_image, from_checkout = build_wheels((context, tmp_path / "image"),
                                             (CHECKOUT, tmp_path / "ci"))
    # Then both hold the same files, byte for byte, the compiled catalog among them
    assert from_image == from_checkout
    assert "api/translations/zh/LC_MESSAGES/messages.mo" in from_image
    assert "api/gunicorn_settings.py" in from_image
