package voicecall.engine.vad;

import java.time.Duration;
import java.time.Instant;
import voicecall.tts.audio.PcmAudio;

/**
 * What {@link SpeechSegmenter} reports about a stream. Positions ({@code start}, {@code end}) are
 * audio time since the first sample of the stream, exact to the sample; {@code detectedAt} is the
 * segmenter's clock when the decision was made (the "speech ended at" mark of a turn).
 */
public sealed interface SpeechEvent {

  /**
   * The clock time of the decision.
   *
   * @return when the event was detected
   */
  Instant detectedAt();

  /** Why an utterance ended. */
  enum EndReason {
    /** The configured trailing silence followed the speech. */
    SILENCE,
    /** The utterance reached the maximum length and was cut. */
    MAX_LENGTH,
    /** The audio stream ended while the caller was speaking. */
    STREAM_END
  }

  /**
   * Speech has started (after the minimum speech duration).
   *
   * @param start where the speech began in the audio
   * @param detectedAt clock time of the decision
   */
  record Started(Duration start, Instant detectedAt) implements SpeechEvent {
    /** Validates the event. */
    public Started {
      notNegative("start", start);
    }
  }

  /**
   * A piece of the utterance's audio while it is spoken, only from {@link
   * SpeechSegmenter#segmentWithAudio}: after {@link Started} the audio from the pre-roll to the
   * start decision, then each following window, up to and including the window of the {@link Ended}
   * or {@link Rejected} that follows. For an utterance that ends, the pieces in order are exactly
   * {@link Ended#audio()}, so a recogniser fed with them has only to finalise at the end.
   *
   * @param start where the piece begins in the audio
   * @param audio the piece
   * @param detectedAt clock time of the decision that released it
   */
  record Audio(Duration start, PcmAudio audio, Instant detectedAt) implements SpeechEvent {
    /** Validates the event. */
    public Audio {
      notNegative("start", start);
      if (audio.length() == 0) {
        throw new IllegalArgumentException("an audio piece must not be empty");
      }
    }
  }

  /**
   * An utterance has ended.
   *
   * @param start where the speech began in the audio
   * @param end where the last speech window ended (for a forced end: where it was cut)
   * @param reason why it ended
   * @param audio the utterance from {@code start} minus the pre-roll up to the decision (so it
   *     includes the trailing silence)
   * @param detectedAt clock time of the decision: the "speech ended at" mark
   */
  record Ended(Duration start, Duration end, EndReason reason, PcmAudio audio, Instant detectedAt)
      implements SpeechEvent {
    /** Validates the event. */
    public Ended {
      notNegative("start", start);
      if (end.compareTo(start) <= 0) {
        throw new IllegalArgumentException("end " + end + " must be after start " + start);
      }
    }

    /**
     * Length of the speech, from start to end.
     *
     * @return the duration
     */
    public Duration length() {
      return end.minus(start);
    }
  }

  /**
   * Speech that started but was shorter than the minimum utterance: a cough, a click, noise.
   *
   * @param start where it began
   * @param end where it ended
   * @param detectedAt clock time of the decision
   */
  record Rejected(Duration start, Duration end, Instant detectedAt) implements SpeechEvent {
    /** Validates the event. */
    public Rejected {
      notNegative("start", start);
      if (end.compareTo(start) < 0) {
        throw new IllegalArgumentException("end " + end + " must not be before start " + start);
      }
    }
  }

  private static void notNegative(String name, Duration value) {
    if (value.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative, was " + value);
    }
  }
}
