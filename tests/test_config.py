"""Layered configuration: defaults < system file < user file < environment < flags."""

from __future__ import annotations

from pathlib import Path

import pytest

from callcenter.config import ConfigError, load_settings
from callcenter.config.settings import mask


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def files(tmp_path):
    return tmp_path / "system.toml", tmp_path / "user.toml"


def test_each_layer_overrides_the_one_below_and_says_so(files):
    system, user = files
    write(
        system,
        '[database]\nurl = "postgresql://pbx.example/cc"\n'
        '[phone]\ndefault_region = "GB"\noutside_line_prefix = "9"\n',
    )
    write(user, '[phone]\ndefault_region = "fr"\n')
    settings = load_settings(
        flags={"database.url": "sqlite:///flag.db"},
        environ={"CALLCENTER_DB": "postgresql://env/cc", "CALLCENTER_TIMEZONE": "Asia/Shanghai"},
        system_file=system,
        user_file=user,
    )
    assert settings.database_url == "sqlite:///flag.db"
    assert settings.sources["database.url"] == "command line"
    assert settings.default_region == "FR"
    assert settings.sources["phone.default_region"] == f"user file {user}"
    assert settings.outside_line_prefix == "9"
    assert settings.sources["phone.outside_line_prefix"] == f"system file {system}"
    assert settings.report_timezone == "Asia/Shanghai"
    assert settings.sources["reports.timezone"] == "environment"


def test_defaults_need_no_files(files, tmp_path, monkeypatch):
    monkeypatch.setenv("CALLCENTER_DATA_DIR", str(tmp_path / "data"))
    settings = load_settings(environ={}, system_file=files[0], user_file=files[1])
    assert settings.database_url == f"sqlite:///{tmp_path / 'data' / 'callcenter.db'}"
    assert set(settings.sources.values()) == {"default"}
    assert len(settings.default_region) == 2


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('[phone]\ndefault_region = "XX"\n', "phone.default_region"),
        ('[phone]\noutside_line_prefix = "9a"\n', "digits only"),
        ('[reports]\ntimezone = "Mars/Olympus"\n', "IANA time zone"),
        ('[database]\nurl = "mysql://x/y"\n', "not supported"),
        ("[database\n", "not valid TOML"),
    ],
)
def test_bad_values_name_the_file_and_the_key(files, toml, message):
    write(files[1], toml)
    with pytest.raises(ConfigError, match=message) as error:
        load_settings(environ={}, system_file=files[0], user_file=files[1])
    assert str(files[1]) in str(error.value)


def test_a_password_in_a_config_file_is_refused(files):
    write(files[0], '[database]\nurl = "postgresql://bob:hunter2@db/cc"\n')
    with pytest.raises(ConfigError, match="keyring") as error:
        load_settings(environ={}, system_file=files[0], user_file=files[1])
    assert "hunter2" not in str(error.value)


def test_bad_environment_value_names_the_variable(files):
    with pytest.raises(ConfigError, match="CALLCENTER_REGION"):
        load_settings(
            environ={"CALLCENTER_REGION": "nowhere"}, system_file=files[0], user_file=files[1]
        )


def test_unknown_keys_are_warned_about_not_fatal(files):
    write(files[1], '[phone]\ndefault_regoin = "GB"\n')
    settings = load_settings(environ={}, system_file=files[0], user_file=files[1])
    assert any("phone.default_regoin" in w for w in settings.warnings)


def test_masking_hides_url_passwords():
    assert "hunter2" not in mask("database.url", "postgresql://bob:hunter2@db/cc")
    assert mask("database.url", "postgresql://bob:hunter2@db/cc").startswith("postgresql://bob:")


def test_desk_settings_are_read_and_checked(tmp_path: Path) -> None:
    user = tmp_path / "user.toml"
    user.write_text(
        '[database.profiles]\nTraining = "sqlite:///train.db"\n'
        'North = "postgresql://alice@db.example.com/cc"\n'
        '[agent]\nbreak_reasons = ["Lunch", "Coaching"]\n'
        '[calls]\nwrap_up_mode = "timed"\nwrap_up_seconds = 30\n'
    )
    settings = load_settings(environ={}, system_file=tmp_path / "none.toml", user_file=user)
    assert settings.database_profiles == {
        "Training": "sqlite:///train.db",
        "North": "postgresql://alice@db.example.com/cc",
    }
    assert settings.break_reasons == ("Lunch", "Coaching")
    assert (settings.wrap_up_mode, settings.wrap_up_seconds) == ("timed", 30)
    assert settings.timeout_disposition == "wrap_up_timeout"

    user.write_text('[calls]\nwrap_up_mode = "whenever"\n')
    with pytest.raises(ConfigError, match=r"calls.wrap_up_mode 'whenever' must be one of"):
        load_settings(environ={}, system_file=tmp_path / "none.toml", user_file=user)
    user.write_text('[database.profiles]\nBad = "mysql://x/y"\n')
    with pytest.raises(ConfigError, match=r"profile 'Bad' backend 'mysql' is not supported"):
        load_settings(environ={}, system_file=tmp_path / "none.toml", user_file=user)
