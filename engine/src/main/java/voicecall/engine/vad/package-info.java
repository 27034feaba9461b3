/**
 * Voice activity detection and end-of-speech detection for a call's inbound audio.
 *
 * <p>{@link voicecall.engine.vad.SileroVad} scores 32 ms windows with the Silero VAD v5 model (one
 * shared onnxruntime session, recurrent state per stream, inference on a bounded named scheduler).
 * {@link voicecall.engine.vad.SpeechSegmenter} turns a stream of PCM frames of any size into {@link
 * voicecall.engine.vad.SpeechEvent}s: speech started, speech ended (with the utterance audio) and
 * speech rejected (too short).
 */
@NullMarked
package voicecall.engine.vad;

import org.jspecify.annotations.NullMarked;
