package voicecall.rag;

/**
 * A runner-up entry of an answer.
 *
 * @param entryId the entry
 * @param score its confidence, 0 to 1
 */
public record Alternative(String entryId, double score) {

  /** Requires a score between 0 and 1. */
  public Alternative {
    if (!(score >= 0 && score <= 1)) {
      throw new IllegalArgumentException("score must be in [0,1], was " + score);
    }
  }
}
