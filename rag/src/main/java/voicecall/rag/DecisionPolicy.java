package voicecall.rag;

import java.util.List;

/**
 * Turns retrieval candidates into a {@link Decision}. The defaults were calibrated on the test set
 * under {@code rag/src/test/resources/eval} (see {@code rag/README.md}).
 *
 * @param answerAt lowest confidence of the best entry for ANSWER
 * @param noneBelow confidence below which the best entry is not relevant at all: NONE
 * @param clarifyWithin when the runner-up's confidence is within this distance of the best one's
 *     (and the runner-up's BM25 score is close too), the two are too close to pick: CLARIFY
 */
public record DecisionPolicy(double answerAt, double noneBelow, double clarifyWithin) {

  /** The calibrated defaults. */
  public static final DecisionPolicy DEFAULT = new DecisionPolicy(0.55, 0.35, 0.02);

  /** Requires {@code 0 <= noneBelow <= answerAt <= 1} and a margin in [0,1]. */
  public DecisionPolicy {
    if (!(0 <= noneBelow && noneBelow <= answerAt && answerAt <= 1)
        || !(clarifyWithin >= 0 && clarifyWithin <= 1)) {
      throw new IllegalArgumentException(
          "need 0 <= noneBelow <= answerAt <= 1 and clarifyWithin in [0,1]");
    }
  }

  /**
   * Decides on ranked candidates (the human request is checked before retrieval).
   *
   * @param candidates best first
   * @return ANSWER, CLARIFY or NONE
   */
  Decision decide(List<Candidate> candidates) {
    if (candidates.isEmpty()) {
      return Decision.NONE;
    }
    Candidate best = candidates.get(0);
    if (best.confidence() < noneBelow) {
      return Decision.NONE;
    }
    if (best.confidence() < answerAt) {
      return Decision.CLARIFY;
    }
    if (candidates.size() > 1) {
      Candidate second = candidates.get(1);
      boolean closeConfidence = best.confidence() - second.confidence() <= clarifyWithin;
      boolean closeRelevance = second.relevance() >= 0.9 * best.relevance();
      if (closeConfidence && closeRelevance) {
        return Decision.CLARIFY;
      }
    }
    return Decision.ANSWER;
  }
}
