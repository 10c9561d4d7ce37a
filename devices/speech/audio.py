"""Audio as the speech code handles it: mono 16-bit PCM, WAV files, and the links to the
speaker and the microphone.

A sink plays PCM and can be cut off at once (`abort`), which is how speech stops within a
fraction of a second; a source delivers microphone blocks. Real ones use PortAudio
(sounddevice); the paced ones stand in for a speaker or microphone in the simulator and tests
and keep real time, so timings behave as they would with hardware.
"""

from __future__ import annotations

import contextlib
import io
import threading
import time
import wave
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import numpy as np


class AudioUnavailable(Exception):
    """No speaker or microphone could be opened; the message says which and why."""


@dataclass(frozen=True)
class Pcm:
    samples: np.ndarray = field(repr=False)  # int16, mono
    rate: int

    @property
    def seconds(self) -> float:
        return len(self.samples) / self.rate

    def to_bytes(self) -> bytes:
        return self.samples.astype("<i2").tobytes()


def read_wav(source: str | Path | bytes) -> Pcm:
    handle = io.BytesIO(source) if isinstance(source, bytes) else open(source, "rb")  # noqa: SIM115
    with handle, wave.open(handle, "rb") as wav:
        if wav.getsampwidth() != 2:
            raise ValueError("only 16-bit WAV is supported")
        data = np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2")
        channels = wav.getnchannels()
        rate = wav.getframerate()
    if channels > 1:
        data = data.reshape(-1, channels).mean(axis=1).astype(np.int16)
    return Pcm(data.astype(np.int16), rate)


def write_wav(pcm: Pcm, target: str | Path) -> None:
    with wave.open(str(target), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(pcm.rate)
        wav.writeframes(pcm.to_bytes())


def level_dbfs(samples: np.ndarray) -> float:
    """RMS level relative to full scale; -120 for silence."""
    if len(samples) == 0:
        return -120.0
    rms = float(np.sqrt(np.mean(np.square(samples.astype(np.float64)))))
    return 20 * np.log10(rms / 32768) if rms > 0 else -120.0


def resample(pcm: Pcm, rate: int) -> Pcm:
    """Band-limited resampling (windowed-sinc low-pass, then linear interpolation)."""
    if pcm.rate == rate or len(pcm.samples) == 0:
        return Pcm(pcm.samples, rate) if pcm.rate == rate else Pcm(pcm.samples[:0], rate)
    x = pcm.samples.astype(np.float64)
    if rate < pcm.rate:  # remove what the new rate cannot carry
        cutoff = 0.45 * rate / pcm.rate
        taps = 101
        n = np.arange(taps) - (taps - 1) / 2
        kernel = 2 * cutoff * np.sinc(2 * cutoff * n) * np.hamming(taps)
        x = np.convolve(x, kernel / kernel.sum(), mode="same")
    count = round(len(x) * rate / pcm.rate)
    positions = np.arange(count) * pcm.rate / rate
    y = np.interp(positions, np.arange(len(x)), x)
    return Pcm(np.clip(np.round(y), -32768, 32767).astype(np.int16), rate)


# -- speaker -----------------------------------------------------------------------------------


class AudioSink(Protocol):
    def write(self, pcm: Pcm) -> bool:
        """Play `pcm`, returning when it has been handed to the speaker; False if `abort`
        cut it off."""
        ...

    def abort(self) -> None:
        """Silence now: drop whatever is playing or queued (any thread)."""

    def close(self) -> None: ...


class PacedSink:
    """A speaker that plays nothing but takes real time, and remembers what it was given and
    when the sound would have stopped: the simulator's and the tests' loudspeaker."""

    def __init__(self, keep_audio: bool = False) -> None:
        self._abort = threading.Event()
        self.keep_audio = keep_audio
        self.played: list[np.ndarray] = []
        self.sound_until = 0.0  # time.monotonic() when the last sound ends
        self.writes = 0

    def write(self, pcm: Pcm) -> bool:
        self._abort.clear()
        self.writes += 1
        start = time.monotonic()
        self.sound_until = start + pcm.seconds
        if self.keep_audio:
            self.played.append(pcm.samples)
        if self._abort.wait(pcm.seconds):
            self.sound_until = time.monotonic()
            return False
        return True

    def abort(self) -> None:
        now = time.monotonic()
        self.sound_until = min(self.sound_until, now)
        self._abort.set()

    def close(self) -> None:
        self.abort()


class SoundDeviceSink:
    """The loudspeaker through PortAudio; `device` is a name or index ("" = default)."""

    def __init__(self, device: str = "", rate: int = 22050) -> None:
        try:
            import sounddevice
        except OSError as exc:  # the PortAudio library is missing
            raise AudioUnavailable(f"PortAudio not available: {exc}") from None
        self._sd = sounddevice
        self.rate = rate
        try:
            self._stream = sounddevice.OutputStream(
                samplerate=rate, channels=1, dtype="int16", device=device or None,
                latency="low")
            self._stream.start()
        except Exception as exc:  # PortAudioError, ValueError for an unknown device
            raise AudioUnavailable(f"no speaker: {exc}") from None
        self._aborted = threading.Event()
        self._lock = threading.Lock()

    def write(self, pcm: Pcm) -> bool:
        self._aborted.clear()
        if pcm.rate != self.rate:
            pcm = resample(pcm, self.rate)
        with self._lock:
            if not self._stream.active:
                self._stream.start()
            self._stream.write(pcm.samples.reshape(-1, 1))
        return not self._aborted.is_set()

    def abort(self) -> None:
        self._aborted.set()
        # abort() drops the buffered audio at once, unlike stop() which drains it
        self._stream.abort()

    def close(self) -> None:
        self._stream.close()


# -- microphone --------------------------------------------------------------------------------


class AudioSource(Protocol):
    rate: int

    def start(self) -> None: ...

    def read(self, timeout_s: float) -> np.ndarray | None:
        """The next block of int16 samples, or None if none came within `timeout_s`."""

    def stop(self) -> None: ...


class PcmSource:
    """A microphone that "hears" given audio, in real time (or as fast as asked), then
    the room's quiet: for the simulator, tests and benchmarks."""

    def __init__(self, pcm: Pcm, block_ms: int = 20, realtime: bool = True,
                 noise_dbfs: float = -60.0, seed: int = 7) -> None:
        self.rate = pcm.rate
        self._pcm = pcm
        self._block = int(pcm.rate * block_ms / 1000)
        self._realtime = realtime
        self._position = 0
        self._noise = 32768 * 10 ** (noise_dbfs / 20)
        self._random = np.random.default_rng(seed)
        self._next_at = 0.0

    def start(self) -> None:
        self._position = 0
        self._next_at = time.monotonic()

    def read(self, timeout_s: float) -> np.ndarray | None:
        if self._realtime:
            wait = self._next_at - time.monotonic()
            if wait > timeout_s:
                time.sleep(timeout_s)
                return None
            if wait > 0:
                time.sleep(wait)
            self._next_at += self._block / self.rate
        block = self._pcm.samples[self._position : self._position + self._block]
        self._position += self._block
        if len(block) < self._block:
            block = np.concatenate([block, np.zeros(self._block - len(block), np.int16)])
        noisy = block.astype(np.float64) + self._random.normal(0, self._noise, len(block))
        return np.clip(noisy, -32768, 32767).astype(np.int16)

    def stop(self) -> None:
        pass


class SoundDeviceSource:
    """The microphone through PortAudio, 16 kHz mono, in 20 ms blocks."""

    def __init__(self, device: str = "", rate: int = 16000, block_ms: int = 20) -> None:
        import queue

        try:
            import sounddevice
        except OSError as exc:
            raise AudioUnavailable(f"PortAudio not available: {exc}") from None
        self.rate = rate
        self._blocks: queue.Queue[np.ndarray] = queue.Queue(maxsize=500)
        try:
            self._stream = sounddevice.InputStream(
                samplerate=rate, channels=1, dtype="int16", device=device or None,
                blocksize=int(rate * block_ms / 1000), callback=self._callback)
        except Exception as exc:
            raise AudioUnavailable(f"no microphone: {exc}") from None

    def _callback(self, data: np.ndarray, _frames: int, _time: object, _status: object) -> None:
        import queue

        with contextlib.suppress(queue.Full):  # nobody reads: drop rather than grow
            self._blocks.put_nowait(data[:, 0].copy())

    def start(self) -> None:
        while not self._blocks.empty():
            self._blocks.get_nowait()
        self._stream.start()

    def read(self, timeout_s: float) -> np.ndarray | None:
        import queue

        try:
            return self._blocks.get(timeout=timeout_s)
        except queue.Empty:
            return None

    def stop(self) -> None:
        self._stream.stop()
