package voicecall.engine.stt;

import java.time.Duration;
import java.util.Objects;

/**
 * One recognised word.
 *
 * @param word the word as spelled in the recogniser's dictionary (lower case)
 * @param start where it starts, from the beginning of the utterance audio
 * @param end where it ends
 * @param confidence its posterior probability in the recogniser's word lattice, 0–1
 */
public record WordHypothesis(String word, Duration start, Duration end, double confidence) {

  /** Rejects a blank word, a negative or reversed time span and a confidence outside 0–1. */
  public WordHypothesis {
    Objects.requireNonNull(word, "word");
    if (word.isBlank()) {
      throw new IllegalArgumentException("word is blank");
    }
    if (start.isNegative() || end.compareTo(start) < 0) {
      throw new IllegalArgumentException("bad time span " + start + ".." + end);
    }
    if (!(confidence >= 0 && confidence <= 1)) {
      throw new IllegalArgumentException("confidence must be in 0..1: " + confidence);
    }
  }
}
