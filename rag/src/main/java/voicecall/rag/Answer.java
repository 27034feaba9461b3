package voicecall.rag;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The knowledge base's reply to one question.
 *
 * @param decision what to do
 * @param entryId the best entry, when there is one (ANSWER, CLARIFY)
 * @param answer the best entry's answer text, when there is one
 * @param score the best entry's confidence, 0 to 1 (0 for NONE without a candidate and for HUMAN)
 * @param alternatives the runners-up, best first
 * @param version the knowledge version that answered
 */
public record Answer(
    Decision decision,
    @Nullable String entryId,
    @Nullable String answer,
    double score,
    List<Alternative> alternatives,
    long version) {

  /** Keeps the fields consistent with the decision. */
  public Answer {
    alternatives = List.copyOf(alternatives);
    if ((decision == Decision.ANSWER || decision == Decision.CLARIFY)
        && (entryId == null || answer == null)) {
      throw new IllegalArgumentException(decision + " needs an entry and its answer");
    }
    if (!(score >= 0 && score <= 1)) {
      throw new IllegalArgumentException("score must be in [0,1], was " + score);
    }
  }
}
