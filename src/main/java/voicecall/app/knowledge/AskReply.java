package voicecall.app.knowledge;

import java.util.List;
import org.jspecify.annotations.Nullable;
import voicecall.rag.Alternative;
import voicecall.rag.Answer;
import voicecall.rag.Decision;

/**
 * The decision on one question as {@code POST /api/v1/ask} shows it; endpoints that reach the same
 * decision by another way (a recording) show it the same.
 *
 * @param decision ANSWER, CLARIFY, NONE or HUMAN
 * @param entryId the chosen entry, or null
 * @param answer the chosen entry's answer, or null
 * @param score the retrieval score
 * @param alternatives the other candidates
 * @param version the knowledge version that decided
 */
public record AskReply(
    Decision decision,
    @Nullable String entryId,
    @Nullable String answer,
    double score,
    List<Alternative> alternatives,
    long version) {

  /** Copies the alternatives. */
  public AskReply {
    alternatives = List.copyOf(alternatives);
  }

  /**
   * The reply for a knowledge index answer.
   *
   * @param a the answer
   * @return the reply
   */
  public static AskReply of(Answer a) {
    return new AskReply(
        a.decision(), a.entryId(), a.answer(), a.score(), a.alternatives(), a.version());
  }
}
