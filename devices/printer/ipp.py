"""Just enough IPP (RFC 8010/8011) to hand a PDF to CUPS and follow the job to its end.

Qt's own CUPS path submits a job and forgets it: no job id comes back, so it cannot tell a
completed job from one stuck behind an empty paper tray. The kiosk renders with Qt and submits
here instead: Print-Job returns the job id, Get-Job-Attributes and Get-Printer-Attributes say
where it is, Cancel-Job withdraws it. A queue CUPS paused after a backend error is started
again with Resume-Printer (RFC 8011 §4.2.8: CUPS's `cupsenable`) and made to accept jobs with
CUPS-Accept-Jobs (`cupsaccept`; CUPS treats Enable-Printer, RFC 3998, the same way:
OpenPrinting/cups scheduler/ipp.c), where the server's policy lets the kiosk do it.
Encoding and decoding are pure functions over bytes; the client is a thin HTTP POST.
"""

from __future__ import annotations

import http.client
import itertools
import struct
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

# operations
PRINT_JOB = 0x0002
CANCEL_JOB = 0x0008
GET_JOB_ATTRIBUTES = 0x0009
GET_JOBS = 0x000A
GET_PRINTER_ATTRIBUTES = 0x000B
RESUME_PRINTER = 0x0011
CUPS_ACCEPT_JOBS = 0x4008

# delimiter tags
OPERATION = 0x01
JOB = 0x02
END = 0x03
PRINTER = 0x04
UNSUPPORTED_GROUP = 0x05

# value tags
INTEGER, BOOLEAN, ENUM = 0x21, 0x22, 0x23
RANGE_OF_INTEGER = 0x33
BEGIN_COLLECTION, END_COLLECTION, MEMBER_NAME = 0x34, 0x37, 0x4A
TEXT, NAME, KEYWORD, URI, CHARSET, LANGUAGE, MIME = 0x41, 0x42, 0x44, 0x45, 0x47, 0x48, 0x49

# job states
JOB_PENDING, JOB_HELD, JOB_PROCESSING, JOB_STOPPED = 3, 4, 5, 6
JOB_CANCELED, JOB_ABORTED, JOB_COMPLETED = 7, 8, 9
PRINTER_IDLE, PRINTER_PROCESSING, PRINTER_STOPPED = 3, 4, 5

Value = int | bool | str | bytes


@dataclass(frozen=True)
class Attribute:
    tag: int
    name: str
    values: tuple[Value, ...]


@dataclass(frozen=True)
class Message:
    """A request (code = operation) or a response (code = status)."""

    code: int
    request_id: int
    groups: tuple[tuple[int, tuple[Attribute, ...]], ...] = ()
    data: bytes = field(default=b"", repr=False)

    def attributes(self, group: int | None = None) -> dict[str, tuple[Value, ...]]:
        return {attribute.name: attribute.values for tag, attributes in self.groups
                for attribute in attributes if group is None or tag == group}

    @property
    def ok(self) -> bool:
        return self.code < 0x0100


# status codes (RFC 8011 §B.1.4): the server refuses the operation to this user
NOT_AUTHENTICATED, NOT_AUTHORIZED, FORBIDDEN = 0x0402, 0x0403, 0x0401


class IppError(Exception):
    """The IPP server could not be reached, or answered with an error status."""

    def __init__(self, message: str, status: int | None = None,
                 http_status: int | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.http_status = http_status

    @property
    def refused(self) -> bool:
        """The server's policy does not let this user do it (CUPS answers HTTP 401/403 for an
        operation its `<Limit>` keeps to @SYSTEM, or an IPP not-authorized status)."""
        return self.http_status in (401, 403) or self.status in (
            NOT_AUTHENTICATED, NOT_AUTHORIZED, FORBIDDEN)


# -- encoding ----------------------------------------------------------------------------------


def encode(message: Message, version: tuple[int, int] = (2, 0)) -> bytes:
    out = bytearray(struct.pack(">BBHI", *version, message.code, message.request_id))
    for tag, attributes in message.groups:
        out.append(tag)
        for attribute in attributes:
            for index, value in enumerate(attribute.values):
                name = attribute.name.encode() if index == 0 else b""
                raw = _encode_value(attribute.tag, value)
                out += struct.pack(">BH", attribute.tag, len(name)) + name
                out += struct.pack(">H", len(raw)) + raw
    out.append(END)
    return bytes(out) + message.data


def page_range(first: int, last: int) -> Attribute:
    """page-ranges first..last (1-based, inclusive): the pages of the document to print."""
    return Attribute(RANGE_OF_INTEGER, "page-ranges", (struct.pack(">ii", first, last),))


def _encode_value(tag: int, value: Value) -> bytes:
    if tag in (INTEGER, ENUM):
        return struct.pack(">i", int(value))
    if tag == BOOLEAN:
        return b"\x01" if value else b"\x00"
    if isinstance(value, bytes):
        return value
    return str(value).encode("utf-8")


def decode(data: bytes) -> Message:
    """The answer CUPS sent; IppError for one that is too short or cut off, whatever its bytes."""
    if len(data) < 9:
        raise IppError("IPP answer too short")
    try:
        return _decode(data)
    except (struct.error, IndexError) as error:
        raise IppError(f"IPP answer cut off or malformed ({len(data)} bytes)") from error


def _decode(data: bytes) -> Message:
    _major, _minor, code, request_id = struct.unpack_from(">BBHI", data)
    groups: list[tuple[int, tuple[Attribute, ...]]] = []
    position = 8
    current: list[Attribute] | None = None
    current_tag = 0
    depth = 0  # inside a collection value: members are skipped
    while position < len(data):
        tag = data[position]
        position += 1
        if tag == END:
            break
        if tag < 0x10:  # a new group
            if current is not None:
                groups.append((current_tag, tuple(current)))
            current, current_tag = [], tag
            continue
        name_length = struct.unpack_from(">H", data, position)[0]
        name = data[position + 2 : position + 2 + name_length].decode("utf-8", "replace")
        position += 2 + name_length
        value_length = struct.unpack_from(">H", data, position)[0]
        raw = data[position + 2 : position + 2 + value_length]
        if len(raw) != value_length:
            raise IndexError("value runs past the end")
        position += 2 + value_length
        if tag == BEGIN_COLLECTION:
            if depth == 0 and name and current is not None:
                current.append(Attribute(tag, name, (b"",)))
            depth += 1
            continue
        if tag == END_COLLECTION:
            depth -= 1
            continue
        if depth > 0 or current is None:
            continue
        value = _decode_value(tag, raw)
        if name:
            current.append(Attribute(tag, name, (value,)))
        elif current:
            last = current[-1]
            current[-1] = Attribute(last.tag, last.name, (*last.values, value))
    else:
        raise IndexError("no end-of-attributes tag")
    if current is not None:
        groups.append((current_tag, tuple(current)))
    return Message(code, request_id, tuple(groups), data[position:])


def _decode_value(tag: int, raw: bytes) -> Value:
    if tag in (INTEGER, ENUM) and len(raw) == 4:
        return struct.unpack(">i", raw)[0]
    if tag == BOOLEAN and len(raw) == 1:
        return raw != b"\x00"
    if 0x40 <= tag <= 0x4A:
        return raw.decode("utf-8", "replace")
    return raw


def operation_attributes(printer_uri: str, user: str = "kiosk") -> list[Attribute]:
    return [
        Attribute(CHARSET, "attributes-charset", ("utf-8",)),
        Attribute(LANGUAGE, "attributes-natural-language", ("en",)),
        Attribute(URI, "printer-uri", (printer_uri,)),
        Attribute(NAME, "requesting-user-name", (user,)),
    ]


# -- the client --------------------------------------------------------------------------------


@dataclass(frozen=True)
class JobState:
    state: int
    reasons: tuple[str, ...]
    impressions: int  # pages printed so far, where the server counts them
    # job-printer-state-message: CUPS copies into it what the job's backend reports as the
    # printer's state message (scheduler/job.c update_job_attrs): after a failure, its error
    printer_message: str = ""


@dataclass(frozen=True)
class PrinterState:
    state: int
    reasons: tuple[str, ...]
    message: str
    accepting: bool = True  # printer-is-accepting-jobs: False after cupsreject
    error_policy: str = ""  # CUPS's printer-error-policy: what a failed backend does
    device_uri: str = ""  # CUPS's device-uri: which backend talks to the printer

    @property
    def paused(self) -> bool:
        """Stopped or rejecting jobs: nothing printed until someone starts the queue."""
        return self.state == PRINTER_STOPPED or not self.accepting


class IppClient:
    """Talks to one printer queue of an IPP server (CUPS): ipp://host:port/printers/QUEUE."""

    _ids = itertools.count(1)

    def __init__(self, printer_uri: str, timeout_s: float = 10.0, user: str = "kiosk") -> None:
        parts = urlsplit(printer_uri)
        if parts.scheme not in ("ipp", "http") or not parts.hostname or not parts.path:
            raise ValueError(f"not an IPP printer URI: {printer_uri!r}")
        self.printer_uri = printer_uri
        self.host = parts.hostname
        self.port = parts.port or 631
        self.path = parts.path
        self.timeout_s = timeout_s
        self.user = user

    def print_pdf(self, pdf: bytes, job_name: str, options: Sequence[Attribute] = ()) -> int:
        """Submit a PDF; returns the job id."""
        ops = [*operation_attributes(self.printer_uri, self.user),
               Attribute(NAME, "job-name", (job_name,)),
               Attribute(MIME, "document-format", ("application/pdf",))]
        groups = [(OPERATION, tuple(ops))]
        if options:
            groups.append((JOB, tuple(options)))
        answer = self._call(Message(PRINT_JOB, next(self._ids), tuple(groups), pdf))
        job_id = answer.attributes(JOB).get("job-id", (None,))[0]
        if not isinstance(job_id, int):
            raise IppError("Print-Job answer carries no job id")
        return job_id

    def job(self, job_id: int) -> JobState:
        ops = [*operation_attributes(self.printer_uri, self.user),
               Attribute(INTEGER, "job-id", (job_id,)),
               Attribute(KEYWORD, "requested-attributes",
                         ("job-state", "job-state-reasons", "job-impressions-completed",
                          "job-printer-state-message"))]
        answer = self._call(
            Message(GET_JOB_ATTRIBUTES, next(self._ids), ((OPERATION, tuple(ops)),)))
        attributes = answer.attributes(JOB)
        state = attributes.get("job-state", (0,))[0]
        impressions = attributes.get("job-impressions-completed", (0,))[0]
        return JobState(int(state) if isinstance(state, int) else 0,
                        tuple(str(r) for r in attributes.get("job-state-reasons", ())),
                        impressions if isinstance(impressions, int) else 0,
                        _text(attributes, "job-printer-state-message"))

    def printer(self) -> PrinterState:
        ops = [*operation_attributes(self.printer_uri, self.user),
               Attribute(KEYWORD, "requested-attributes",
                         ("printer-state", "printer-state-reasons", "printer-state-message",
                          "printer-is-accepting-jobs", "printer-error-policy", "device-uri"))]
        answer = self._call(
            Message(GET_PRINTER_ATTRIBUTES, next(self._ids), ((OPERATION, tuple(ops)),)))
        attributes = answer.attributes(PRINTER)
        state = attributes.get("printer-state", (0,))[0]
        accepting = attributes.get("printer-is-accepting-jobs", (True,))[0]
        # bounded: the texts come from the server, shown to staff
        return PrinterState(
            int(state) if isinstance(state, int) else 0,
            tuple(str(r)[:100] for r in attributes.get("printer-state-reasons", ())[:50]),
            _text(attributes, "printer-state-message"),
            accepting if isinstance(accepting, bool) else True,
            _text(attributes, "printer-error-policy"),
            _text(attributes, "device-uri"),
        )

    def resume(self) -> None:
        """Start a stopped queue (Resume-Printer, as `cupsenable` does)."""
        ops = operation_attributes(self.printer_uri, self.user)
        self._call(Message(RESUME_PRINTER, next(self._ids), ((OPERATION, tuple(ops)),)))

    def accept_jobs(self) -> None:
        """Let a rejecting queue take jobs again (CUPS-Accept-Jobs, as `cupsaccept` does)."""
        ops = operation_attributes(self.printer_uri, self.user)
        self._call(Message(CUPS_ACCEPT_JOBS, next(self._ids), ((OPERATION, tuple(ops)),)))

    def my_unfinished_jobs(self) -> list[int]:
        """Ids of this user's jobs on the queue not yet completed, canceled or aborted."""
        ops = [*operation_attributes(self.printer_uri, self.user),
               Attribute(KEYWORD, "which-jobs", ("not-completed",)),
               Attribute(BOOLEAN, "my-jobs", (True,)),
               Attribute(KEYWORD, "requested-attributes", ("job-id",))]
        answer = self._call(Message(GET_JOBS, next(self._ids), ((OPERATION, tuple(ops)),)))
        return [value for tag, attributes in answer.groups if tag == JOB
                for attribute in attributes if attribute.name == "job-id"
                for value in attribute.values if isinstance(value, int)][:1000]

    def cancel(self, job_id: int) -> None:
        ops = [*operation_attributes(self.printer_uri, self.user),
               Attribute(INTEGER, "job-id", (job_id,))]
        self._call(Message(CANCEL_JOB, next(self._ids), ((OPERATION, tuple(ops)),)))

    def _call(self, request: Message) -> Message:
        body = encode(request)
        connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout_s)
        try:
            connection.request("POST", self.path, body, {"Content-Type": "application/ipp"})
            response = connection.getresponse()
            data = response.read()
        except OSError as exc:
            raise IppError(f"{self.host}:{self.port}: {exc}") from None
        finally:
            connection.close()
        if response.status != 200:
            raise IppError(f"{self.host}:{self.port}: HTTP {response.status} {response.reason}",
                           http_status=response.status)
        answer = decode(data)
        if not answer.ok:
            raise IppError(f"IPP status {answer.code:#06x} for operation {request.code:#06x}",
                           answer.code)
        return answer


def _text(attributes: dict[str, tuple[Value, ...]], name: str) -> str:
    value = attributes.get(name, ("",))[0]
    return value[:500] if isinstance(value, str) else ""
