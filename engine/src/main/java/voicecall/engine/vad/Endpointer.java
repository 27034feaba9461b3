package voicecall.engine.vad;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import reactor.core.scheduler.Scheduler;
import voicecall.tts.audio.PcmAudio;

/**
 * The end-of-speech state machine of one stream. It is fed one window and its speech probability at
 * a time, counts audio time in samples, and keeps at most the pre-roll plus the maximum utterance
 * of audio.
 */
final class Endpointer {

  private final SegmenterConfig config;
  private final Scheduler clock;
  private final int sampleRate;
  private final int window;
  private final int minSpeechWindows;
  private final int trailingWindows;
  private final long minUtteranceSamples;
  private final long maxUtteranceSamples;
  private final int preRollWindows;
  private final boolean withAudio;

  /** Recent windows while silent: the pre-roll plus the current run of speech. */
  private final ArrayDeque<short[]> recent = new ArrayDeque<>();

  private long position;
  private boolean speaking;
  private int speechRun;
  private int silenceRun;
  private long start;
  private long lastSpeechEnd;
  private short[] utterance = new short[0];
  private int utteranceLength;

  Endpointer(SegmenterConfig config, Scheduler clock, int sampleRate, int window) {
    this(config, clock, sampleRate, window, false);
  }

  /** With {@code withAudio}, the utterance's audio is also reported as it grows. */
  Endpointer(
      SegmenterConfig config, Scheduler clock, int sampleRate, int window, boolean withAudio) {
    this.withAudio = withAudio;
    this.config = config;
    this.clock = clock;
    this.sampleRate = sampleRate;
    this.window = window;
    this.minSpeechWindows = windows(config.minSpeech());
    this.trailingWindows = windows(config.trailingSilence());
    this.minUtteranceSamples = samples(config.minUtterance());
    this.maxUtteranceSamples = samples(config.maxUtterance());
    this.preRollWindows = windows(config.preRoll());
  }

  private long samples(Duration duration) {
    return duration.toNanos() * sampleRate / 1_000_000_000L;
  }

  private int windows(Duration duration) {
    return (int) ((samples(duration) + window - 1) / window);
  }

  /** Events caused by the next window. */
  List<SpeechEvent> accept(short[] samples, float probability) {
    long windowStart = position;
    position += window;
    if (!speaking) {
      return whileSilent(samples, probability, windowStart);
    }
    append(samples);
    SpeechEvent piece = withAudio ? audio(samples) : null;
    if (probability >= config.endThreshold()) {
      silenceRun = 0;
      lastSpeechEnd = position;
    } else {
      silenceRun++;
    }
    SpeechEvent end = null;
    if (silenceRun >= trailingWindows) {
      end = finish(SpeechEvent.EndReason.SILENCE, lastSpeechEnd);
    } else if (position - start >= maxUtteranceSamples) {
      end = finish(SpeechEvent.EndReason.MAX_LENGTH, position);
    }
    if (piece == null) {
      return end == null ? List.of() : List.of(end);
    }
    return end == null ? List.of(piece) : List.of(piece, end);
  }

  /** The piece of audio that ends at the current position. */
  private SpeechEvent audio(short[] samples) {
    return new SpeechEvent.Audio(
        time(position - samples.length), PcmAudio.of(samples, sampleRate), now());
  }

  private List<SpeechEvent> whileSilent(short[] samples, float probability, long windowStart) {
    recent.addLast(samples);
    if (probability >= config.startThreshold()) {
      speechRun++;
    } else {
      speechRun = 0;
    }
    while (recent.size() > preRollWindows + Math.max(speechRun, 1)) {
      recent.removeFirst();
    }
    if (speechRun < minSpeechWindows) {
      return List.of();
    }
    speaking = true;
    silenceRun = 0;
    start = windowStart + window - (long) speechRun * window;
    lastSpeechEnd = position;
    utterance =
        new short[(int) Math.min(maxUtteranceSamples, 4L * sampleRate) + recent.size() * window];
    utteranceLength = 0;
    for (short[] kept : recent) {
      append(kept);
    }
    recent.clear();
    speechRun = 0;
    SpeechEvent started = new SpeechEvent.Started(time(start), now());
    return withAudio
        ? List.of(started, audio(Arrays.copyOf(utterance, utteranceLength)))
        : List.of(started);
  }

  /** Events when the stream ends: an utterance in progress ends or is rejected. */
  List<SpeechEvent> complete() {
    return speaking ? List.of(finish(SpeechEvent.EndReason.STREAM_END, lastSpeechEnd)) : List.of();
  }

  private SpeechEvent finish(SpeechEvent.EndReason reason, long end) {
    speaking = false;
    silenceRun = 0;
    SpeechEvent event =
        reason != SpeechEvent.EndReason.MAX_LENGTH && end - start < minUtteranceSamples
            ? new SpeechEvent.Rejected(time(start), time(end), now())
            : new SpeechEvent.Ended(
                time(start),
                time(end),
                reason,
                PcmAudio.of(Arrays.copyOf(utterance, utteranceLength), sampleRate),
                now());
    utterance = new short[0];
    utteranceLength = 0;
    return event;
  }

  private void append(short[] samples) {
    if (utteranceLength + samples.length > utterance.length) {
      long cap = maxUtteranceSamples + (long) (preRollWindows + minSpeechWindows + 1) * window;
      int grown = (int) Math.min(Math.max(utterance.length * 2L, cap), cap);
      utterance = Arrays.copyOf(utterance, Math.max(grown, utteranceLength + samples.length));
    }
    System.arraycopy(samples, 0, utterance, utteranceLength, samples.length);
    utteranceLength += samples.length;
  }

  private Duration time(long samplePosition) {
    return Duration.ofNanos(samplePosition * 1_000_000_000L / sampleRate);
  }

  private Instant now() {
    return Instant.ofEpochMilli(clock.now(TimeUnit.MILLISECONDS));
  }
}
