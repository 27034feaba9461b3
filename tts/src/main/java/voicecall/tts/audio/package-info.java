/**
 * Audio values and signal processing shared by speech output and the call engine: 16-bit mono PCM
 * ({@link voicecall.tts.audio.PcmAudio}), a band-limited {@link voicecall.tts.audio.Resampler},
 * silence trimming, 20 ms framing and WAV decoding.
 */
@NullMarked
package voicecall.tts.audio;

import org.jspecify.annotations.NullMarked;
