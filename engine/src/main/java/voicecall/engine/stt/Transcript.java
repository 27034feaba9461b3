package voicecall.engine.stt;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What the recogniser heard in one utterance.
 *
 * @param text the best hypothesis, lower case words separated by single spaces; empty when nothing
 *     was recognised
 * @param score the decoder's path score of the best hypothesis (log domain, higher is better;
 *     comparable only within one utterance)
 * @param confidence the posterior probability of the whole best hypothesis, 0–1
 * @param words the words of {@code text} with their times and posteriors
 * @param alternatives other hypotheses from the n-best list, best first, without {@code text}
 * @param audio how much audio was decoded
 * @param finalisation how long the decoder took from the end of the audio to this transcript
 * @param noisyLine whether the utterance came over a noisy line: the local recogniser decoded it
 *     with its noise-adapted model (false for other recognisers)
 */
public record Transcript(
    String text,
    int score,
    double confidence,
    List<WordHypothesis> words,
    List<String> alternatives,
    Duration audio,
    Duration finalisation,
    boolean noisyLine) {

  /** A transcript of an utterance not known to come over a noisy line. */
  public Transcript(
      String text,
      int score,
      double confidence,
      List<WordHypothesis> words,
      List<String> alternatives,
      Duration audio,
      Duration finalisation) {
    this(text, score, confidence, words, alternatives, audio, finalisation, false);
  }

  /** Copies the lists and rejects a confidence outside 0–1 or a negative duration. */
  public Transcript {
    Objects.requireNonNull(text, "text");
    words = List.copyOf(words);
    alternatives = List.copyOf(alternatives);
    if (!(confidence >= 0 && confidence <= 1)) {
      throw new IllegalArgumentException("confidence must be in 0..1: " + confidence);
    }
    if (audio.isNegative() || finalisation.isNegative()) {
      throw new IllegalArgumentException("negative duration " + audio + " / " + finalisation);
    }
  }

  /**
   * Whether nothing was recognised.
   *
   * @return true for an empty text
   */
  public boolean isEmpty() {
    return text.isEmpty();
  }

  /**
   * This transcript marked as heard over a noisy line.
   *
   * @return a copy with {@code noisyLine} true
   */
  public Transcript onNoisyLine() {
    return new Transcript(text, score, confidence, words, alternatives, audio, finalisation, true);
  }
}
