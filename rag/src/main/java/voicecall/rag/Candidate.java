package voicecall.rag;

/**
 * One entry a query matched.
 *
 * @param entryId the entry's id
 * @param confidence how much of the query the entry covers, from 0 to 1: the share of the query's
 *     term weight (inverse document frequency) that the entry contains; what decisions use
 * @param relevance the BM25 score that ranked it; only comparable within one query
 */
public record Candidate(String entryId, double confidence, double relevance) {

  /** Requires a confidence between 0 and 1 and a finite relevance. */
  public Candidate {
    if (!(confidence >= 0 && confidence <= 1) || !Double.isFinite(relevance)) {
      throw new IllegalArgumentException(
          "confidence must be in [0,1] and relevance finite: " + confidence + ", " + relevance);
    }
  }
}
