package voicecall.engine.vad;

import java.time.Duration;

/**
 * Settings of {@link SpeechSegmenter}. Durations are applied in whole 32 ms VAD windows, rounded up
 * (the default trailing silence of 350 ms therefore ends speech after 11 windows, 352 ms).
 *
 * @param startThreshold a window at or above this probability counts as speech while silent
 * @param endThreshold while speaking, a window below this counts as silence (hysteresis: at most
 *     the start threshold)
 * @param minSpeech speech must last this long, without a gap, before it is declared started
 * @param trailingSilence silence after speech that ends the utterance
 * @param minUtterance utterances shorter than this are rejected as noise
 * @param maxUtterance an utterance that reaches this length is ended by force
 * @param preRoll audio kept before the detected start, so the first sound is not clipped
 */
public record SegmenterConfig(
    double startThreshold,
    double endThreshold,
    Duration minSpeech,
    Duration trailingSilence,
    Duration minUtterance,
    Duration maxUtterance,
    Duration preRoll) {

  /** Validates the settings. */
  public SegmenterConfig {
    if (!(startThreshold > 0 && startThreshold < 1)) {
      throw new IllegalArgumentException(
          "startThreshold must be between 0 and 1, was " + startThreshold);
    }
    if (!(endThreshold > 0 && endThreshold <= startThreshold)) {
      throw new IllegalArgumentException(
          "endThreshold must be above 0 and at most startThreshold ("
              + startThreshold
              + "), was "
              + endThreshold);
    }
    positive("minSpeech", minSpeech);
    positive("trailingSilence", trailingSilence);
    positive("maxUtterance", maxUtterance);
    if (minUtterance.isNegative()) {
      throw new IllegalArgumentException("minUtterance must not be negative, was " + minUtterance);
    }
    if (preRoll.isNegative() || preRoll.compareTo(Duration.ofSeconds(2)) > 0) {
      throw new IllegalArgumentException("preRoll must be between 0 and 2 s, was " + preRoll);
    }
    if (maxUtterance.compareTo(minUtterance) <= 0 || maxUtterance.compareTo(minSpeech) <= 0) {
      throw new IllegalArgumentException(
          "maxUtterance ("
              + maxUtterance
              + ") must be longer than minUtterance and minSpeech ("
              + minUtterance
              + ", "
              + minSpeech
              + ")");
    }
    if (maxUtterance.compareTo(Duration.ofMinutes(5)) > 0) {
      throw new IllegalArgumentException("maxUtterance must be at most 5 min, was " + maxUtterance);
    }
  }

  private static void positive(String name, Duration value) {
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + value);
    }
  }

  /**
   * The defaults: thresholds 0.5 / 0.35, speech starts after 96 ms, ends after 350 ms of silence,
   * utterances of 200 ms to 15 s, 256 ms pre-roll (the model can take a few windows to rise on a
   * soft onset, so the utterance audio starts well before the detected start).
   *
   * @return the default settings
   */
  public static SegmenterConfig defaults() {
    return new SegmenterConfig(
        0.5,
        0.35,
        Duration.ofMillis(96),
        Duration.ofMillis(350),
        Duration.ofMillis(200),
        Duration.ofSeconds(15),
        Duration.ofMillis(256));
  }

  /**
   * These settings with another trailing silence.
   *
   * @param value the new trailing silence
   * @return new settings
   */
  public SegmenterConfig withTrailingSilence(Duration value) {
    return new SegmenterConfig(
        startThreshold, endThreshold, minSpeech, value, minUtterance, maxUtterance, preRoll);
  }

  /**
   * These settings with another maximum utterance length.
   *
   * @param value the new maximum
   * @return new settings
   */
  public SegmenterConfig withMaxUtterance(Duration value) {
    return new SegmenterConfig(
        startThreshold, endThreshold, minSpeech, trailingSilence, minUtterance, value, preRoll);
  }

  /**
   * These settings with other thresholds.
   *
   * @param start the start threshold
   * @param end the end threshold
   * @return new settings
   */
  public SegmenterConfig withThresholds(double start, double end) {
    return new SegmenterConfig(
        start, end, minSpeech, trailingSilence, minUtterance, maxUtterance, preRoll);
  }
}
