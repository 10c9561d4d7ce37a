"""Speech: text-to-speech for reading screens aloud and offline recognition for voice questions.

`audio.py` is PCM, WAV and the speaker/microphone links; `tts.py` the speaking worker
(pyttsx3 + espeak-ng); `asr.py` the recognition port with push-to-talk and end-of-speech
detection, and the limited vocabulary; `vosk_engine.py` and `pocketsphinx_engine.py` the
engines; `device.py` the speech device of the registry; `simulated.py` the simulators.
"""
