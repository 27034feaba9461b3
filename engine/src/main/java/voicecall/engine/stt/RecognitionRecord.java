package voicecall.engine.stt;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What one recogniser did with one utterance, for logs and metrics.
 *
 * @param engine the recogniser's name, e.g. {@code remote} or {@code pocketsphinx}
 * @param result {@code ok}, {@code empty} (nothing heard) or the failure: the lower-case {@link
 *     RecognitionException.Reason} or {@code error} for anything else
 * @param audio how much audio the utterance had
 * @param recognitionTime from the end of the audio to the transcript or the failure
 * @param transcriptChars the transcript's length in characters (0 on failure)
 * @param confidence the transcript's confidence, 0–1 (0 on failure)
 * @param error the failure's message, or null
 * @param noisyLine whether the transcript was heard over a noisy line ({@link
 *     Transcript#noisyLine()}: the local recogniser's noise-adapted model decoded it); false on
 *     failure
 */
public record RecognitionRecord(
    String engine,
    String result,
    Duration audio,
    Duration recognitionTime,
    int transcriptChars,
    double confidence,
    @Nullable String error,
    boolean noisyLine) {

  /**
   * Rejects blank names, negative durations and counts, a confidence outside 0–1 and a failure
   * marked as heard over a noisy line.
   */
  public RecognitionRecord {
    Objects.requireNonNull(engine, "engine");
    Objects.requireNonNull(result, "result");
    if (engine.isBlank() || result.isBlank()) {
      throw new IllegalArgumentException("engine and result must not be blank");
    }
    if (audio.isNegative() || recognitionTime.isNegative() || transcriptChars < 0) {
      throw new IllegalArgumentException("negative duration or length");
    }
    if (!(confidence >= 0 && confidence <= 1)) {
      throw new IllegalArgumentException("confidence must be in 0..1: " + confidence);
    }
    if (noisyLine && !succeeded(result)) {
      throw new IllegalArgumentException("a failed recognition (" + result + ") has no line");
    }
  }

  /**
   * Whether a transcript came out (possibly empty).
   *
   * @return true for {@code ok} and {@code empty}
   */
  public boolean succeeded() {
    return succeeded(result);
  }

  private static boolean succeeded(String result) {
    return result.equals("ok") || result.equals("empty");
  }
}
