"""Netstring framing as baresip's control port uses it: partial reads, batches, broken frames."""

from __future__ import annotations

import json

import pytest

from callcenter.telephony.netstring import NetstringDecoder, encode

INCOMING = (
    b'{"event":true,"type":"CALL_INCOMING","class":"call","accountaor":"sip:agent@127.0.0.1",'
    b'"direction":"incoming","peeruri":"sip:+15551234567@127.0.0.1:5090",'
    b'"peerdisplayname":"ACME Caller","id":"1-8653@127.0.0.1",'
    b'"param":"sip:+15551234567@127.0.0.1:5090"}'
)
RESPONSE = b'{"response":true,"ok":true,"data":"","token":"cc1"}'


def test_encode_matches_the_recipe():
    body = json.dumps({"command": "reginfo", "token": "r1"}).encode()
    assert encode(body) == b'37:{"command": "reginfo", "token": "r1"},'
    assert encode(b"") == b"0:,"


def test_several_frames_in_one_read_all_come_out_in_order():
    decoder = NetstringDecoder()
    assert decoder.feed(encode(INCOMING) + encode(RESPONSE) + encode(b"")) == [
        INCOMING,
        RESPONSE,
        b"",
    ]


@pytest.mark.parametrize("size", [1, 2, 3, 5, 13, 64])
def test_frames_split_across_reads_come_out_once_whole(size):
    data = encode(INCOMING) + encode(RESPONSE)
    decoder = NetstringDecoder()
    out = []
    for start in range(0, len(data), size):
        out += decoder.feed(data[start : start + size])
    assert out == [INCOMING, RESPONSE]


def test_a_read_ending_in_the_length_or_before_the_comma_waits():
    decoder = NetstringDecoder()
    frame = encode(RESPONSE)
    assert decoder.feed(frame[:1]) == []  # part of the length
    assert decoder.feed(frame[1:-1]) == []  # all but the comma
    assert decoder.feed(frame[-1:] + encode(b"x")[:2]) == [RESPONSE]
    assert decoder.feed(b"x,") == [b"x"]


@pytest.mark.parametrize(
    "garbage",
    [
        b"hello",  # no length at all
        b"5:abc,",  # length longer than the payload: the comma is not where it should be
        b"3:abcdef,",  # length shorter than the payload
        b"01:x,",  # a leading zero
        b"99999999:",  # a length over the limit
        b'{"event":true}',  # JSON without the netstring (what baresip itself rejects)
    ],
)
def test_a_broken_frame_is_skipped_and_the_next_good_one_read(garbage, caplog):
    decoder = NetstringDecoder()
    out = decoder.feed(garbage + encode(INCOMING))
    out += decoder.feed(encode(RESPONSE))
    assert out[-2:] == [INCOMING, RESPONSE]
    assert decoder.skipped >= 1
    assert "malformed netstring" in caplog.text


def test_a_broken_frame_split_across_reads_is_skipped_too():
    decoder = NetstringDecoder()
    data = b"12:not a frame at all" + encode(RESPONSE)
    out = []
    for byte in range(len(data)):
        out += decoder.feed(data[byte : byte + 1])
    assert out == [RESPONSE]
