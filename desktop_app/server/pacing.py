"""How often the API server sends a streamed answer's text."""

STREAM_INTERVAL_S = 0.05
"""Tokens of one answer that come within 50 ms of its last chunk are sent together.

Every chunk costs its client a JSON parse and an object or two (about a millisecond with
the ``openai`` client), and the server a write: with several answers decoded together
those costs come once per answer per step and, on a machine whose cores all decode,
take their time from the decoding. Twenty chunks a second is smoother than text can be
read; a single answer faster than that gets two or three tokens a chunk. With more
answers decoded together than the machine has cores, the interval stretches in
proportion (``FULL_RATE_ANSWERS``: eight answers on two cores, 200 ms), so the server
sends at most about 20 chunks a second per core in all. The first text of an answer is
sent at once, so the time to the first token does not change. ``hearth serve
--stream-interval 0`` sends every token.
"""
