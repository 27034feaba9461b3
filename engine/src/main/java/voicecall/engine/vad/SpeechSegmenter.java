package voicecall.engine.vad;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import voicecall.tts.audio.PcmAudio;

/**
 * Finds utterances in a stream of PCM frames: speech start after the minimum speech duration, end
 * after the trailing silence, short bursts rejected, long monologues cut at the maximum length.
 *
 * <p>Frames may have any size (20 ms, 30 ms, odd lengths); they are re-framed into the detector's
 * 32 ms windows. Scoring and the state machine run on the detector's scheduler with at most {@value
 * #IN_FLIGHT} windows queued per stream, so a fast producer is held back by backpressure rather
 * than by memory. Each subscription has its own recurrent state and is independent of every other
 * stream. The input must be 8 or 16 kHz (resample first) and every frame at the rate of the first.
 *
 * <p>Example: {@code segmenter.segment(frames).ofType(SpeechEvent.Ended.class)} gives the
 * utterances to recognise.
 */
public final class SpeechSegmenter {

  /** Windows (32 ms each) that may wait for inference per stream. */
  static final int IN_FLIGHT = 16;

  private final VoiceActivityDetector detector;
  private final SegmenterConfig config;
  private final Scheduler clock;

  private SpeechSegmenter(VoiceActivityDetector detector, SegmenterConfig config, Scheduler clock) {
    this.detector = detector;
    this.config = config;
    this.clock = clock;
  }

  /**
   * A segmenter whose decision times come from the detector's scheduler clock.
   *
   * @param detector the voice activity detector, e.g. {@link SileroVad}
   * @param config the settings
   * @return the segmenter
   */
  public static SpeechSegmenter create(VoiceActivityDetector detector, SegmenterConfig config) {
    return create(detector, config, detector.scheduler());
  }

  /**
   * A segmenter with its own clock for the {@code detectedAt} marks (a virtual-time scheduler in
   * tests).
   *
   * @param detector the voice activity detector
   * @param config the settings
   * @param clock whose {@code now()} stamps the events
   * @return the segmenter
   */
  public static SpeechSegmenter create(
      VoiceActivityDetector detector, SegmenterConfig config, Scheduler clock) {
    return new SpeechSegmenter(
        Objects.requireNonNull(detector), Objects.requireNonNull(config), clock);
  }

  /**
   * The speech events of one audio stream. Cancelling the result releases the stream's state; an
   * error (a frame at another rate, an unsupported rate, a failed inference) ends only this stream.
   *
   * @param frames the stream's audio, in order
   * @return started, ended and rejected events in audio order
   */
  public Flux<SpeechEvent> segment(Flux<PcmAudio> frames) {
    return events(frames, false);
  }

  /**
   * The speech events of one audio stream with each utterance's audio as it is spoken: {@link
   * SpeechEvent.Started}, then {@link SpeechEvent.Audio} pieces (the pre-roll and the speech so far
   * at once, then one per 32 ms window), then {@link SpeechEvent.Ended} or {@link
   * SpeechEvent.Rejected}. The pieces of an ended utterance are, in order, exactly its {@link
   * SpeechEvent.Ended#audio()}, so a recogniser can decode while the caller speaks. Otherwise as
   * {@link #segment}.
   *
   * @param frames the stream's audio, in order
   * @return the events, in audio order
   */
  public Flux<SpeechEvent> segmentWithAudio(Flux<PcmAudio> frames) {
    return events(frames, true);
  }

  private Flux<SpeechEvent> events(Flux<PcmAudio> frames, boolean withAudio) {
    return Flux.defer(
        () -> {
          Reframer reframer = new Reframer();
          Scoring scoring = new Scoring(withAudio);
          return frames
              .concatMapIterable(reframer::windows)
              .publishOn(detector.scheduler(), IN_FLIGHT)
              .concatMapIterable(window -> scoring.accept(reframer.sampleRate(), window))
              .concatWith(Flux.defer(() -> Flux.fromIterable(scoring.complete())))
              .doFinally(signal -> scoring.close());
        });
  }

  /**
   * The detector stream and state machine of one subscription, opened by the first window. Windows
   * arrive on one thread at a time; the lock only orders a cancel (from any thread) against a
   * window in progress, so the native state is never freed under a run nor opened after a close.
   */
  private final class Scoring {
    private final boolean withAudio;
    private @Nullable VoiceActivity activity;
    private @Nullable Endpointer endpointer;
    private boolean closed;

    Scoring(boolean withAudio) {
      this.withAudio = withAudio;
    }

    synchronized List<SpeechEvent> accept(int sampleRate, short[] window) {
      if (closed) {
        return List.of();
      }
      VoiceActivity current = activity;
      Endpointer state = endpointer;
      if (current == null || state == null) {
        current = detector.open(sampleRate);
        state = new Endpointer(config, clock, sampleRate, current.windowSamples(), withAudio);
        activity = current;
        endpointer = state;
      }
      return state.accept(window, current.speechProbability(window));
    }

    synchronized List<SpeechEvent> complete() {
      Endpointer state = endpointer;
      return state == null || closed ? List.of() : state.complete();
    }

    synchronized void close() {
      closed = true;
      VoiceActivity current = activity;
      if (current != null) {
        current.close();
      }
    }
  }
}
