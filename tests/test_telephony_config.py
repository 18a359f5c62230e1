"""Each agent's telephony settings (adapter, address, extension, AMI user); the AMI secret."""

from __future__ import annotations

import pytest

from callcenter.config import ConfigError, load_settings
from callcenter.config.secrets import SecretStore
from callcenter.domain.calls import CallSource
from callcenter.telephony.address import parse_address
from callcenter.telephony.ami import AmiTelephony
from callcenter.telephony.baresip import BaresipTelephony
from callcenter.telephony.factory import (
    TelephonyConfig,
    ami_secret_account,
    call_source,
    create_telephony,
    stored_ami_secret,
)


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def files(tmp_path):
    return tmp_path / "system.toml", tmp_path / "user.toml"


def settings_from(files, user_toml="", environ=None):
    write(files[1], user_toml)
    return load_settings(environ=environ or {}, system_file=files[0], user_file=files[1])


def test_no_telephony_by_default(files):
    settings = settings_from(files)
    assert (settings.telephony_adapter, settings.telephony_address) == ("none", "")
    assert settings.dial_context == "from-internal"
    assert settings.sources["telephony.adapter"] == "default"


def test_the_agents_file_configures_ami_and_the_environment_overrides_it(files):
    toml = (
        '[telephony]\nadapter = "AMI"\naddress = "pbx.example"\n'
        'extension = "PJSIP/201"\nami_username = "desk"\n'
    )
    settings = settings_from(files, toml)
    assert (settings.telephony_adapter, settings.telephony_extension) == ("ami", "PJSIP/201")
    assert settings.sources["telephony.extension"] == f"user file {files[1]}"
    config = TelephonyConfig.from_settings(settings)
    assert (config.host, config.port, config.ami_username) == ("pbx.example", 5038, "desk")

    moved = settings_from(files, toml, environ={"CALLCENTER_TELEPHONY": "baresip"})
    assert moved.telephony_adapter == "baresip"
    assert moved.sources["telephony.adapter"] == "environment"


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('[telephony]\nadapter = "skype"\n', "none, baresip, ami"),
        ('[telephony]\naddress = "pbx:99999"\n', "port must be a number"),
        ('[telephony]\naddress = "::1:5038"\n', "IPv6 address in brackets"),
        ('[telephony]\nextension = "PJSIP 201"\n', "must not contain spaces"),
    ],
)
def test_bad_telephony_values_name_the_file_and_the_key(files, toml, message):
    with pytest.raises(ConfigError, match=message) as error:
        settings_from(files, toml)
    assert str(files[1]) in str(error.value) and "telephony." in str(error.value)


def test_each_adapter_has_its_usual_address_and_one_given_on_the_spot_wins(files):
    settings = settings_from(files, '[telephony]\nadapter = "ami"\naddress = "pbx:6000"\n')
    assert TelephonyConfig.from_settings(settings).address == "pbx:6000"
    # The AMI address means nothing to baresip chosen on the command line.
    assert TelephonyConfig.from_settings(settings, "baresip").address == "127.0.0.1:4444"
    assert TelephonyConfig.from_settings(settings, "ami", "[::1]").address == "[::1]:5038"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("127.0.0.1:4444", ("127.0.0.1", 4444)),
        ("pbx.example", ("pbx.example", 5038)),
        ("[fe80::1]:5039", ("fe80::1", 5039)),
        ("[::1]", ("::1", 5038)),
    ],
)
def test_addresses_are_read_with_a_default_port(text, expected):
    assert parse_address(text, 5038) == expected


@pytest.mark.parametrize("text", ["", ":5038", "pbx:0", "pbx:http", "[::1", "a b:1"])
def test_bad_addresses_say_why(text):
    with pytest.raises(ValueError):
        parse_address(text, 5038)


def test_the_factory_builds_the_configured_adapter(files):
    def sink(event):
        pass

    none = TelephonyConfig.from_settings(settings_from(files))
    assert create_telephony(none, sink) is None
    baresip = TelephonyConfig.from_settings(settings_from(files), "baresip")
    assert isinstance(create_telephony(baresip, sink), BaresipTelephony)
    ami = TelephonyConfig("ami", "pbx", 5038, "PJSIP/201", "desk")
    adapter = create_telephony(ami, sink, secret="s3cret")
    assert isinstance(adapter, AmiTelephony) and adapter.address == "pbx:5038"
    assert (call_source(baresip), call_source(ami)) == (CallSource.SOFTPHONE, CallSource.PBX)


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (TelephonyConfig("ami", "pbx", 5038, "201", "desk"), "PJSIP/201"),
        (TelephonyConfig("ami", "pbx", 5038, "PJSIP/201", ""), "ami_username"),
        (TelephonyConfig("ami", "pbx", 5038, "PJSIP/201", "desk"), "cti secret"),
    ],
)
def test_the_factory_says_what_ami_still_needs(config, message):
    with pytest.raises(ConfigError, match=message):
        create_telephony(config, lambda event: None)


def test_the_ami_secret_comes_from_the_keyring_or_for_scripts_the_environment(memory_keyring):
    config = TelephonyConfig("ami", "pbx.example", 5038, "PJSIP/201", "desk")
    assert ami_secret_account(config) == "ami:desk@pbx.example:5038"
    store = SecretStore()
    assert stored_ami_secret(config, store, environ={}) is None
    store.set(ami_secret_account(config), "from-keyring")
    assert stored_ami_secret(config, store, environ={}) == "from-keyring"
    assert stored_ami_secret(config, store, {"CALLCENTER_AMI_SECRET": "env"}) == "env"
