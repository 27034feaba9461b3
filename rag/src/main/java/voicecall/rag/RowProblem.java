package voicecall.rag;

/**
 * One thing wrong with uploaded knowledge.
 *
 * @param row the CSV line or 1-based JSON position it concerns; 0 when it concerns the whole upload
 * @param field the column or field concerned, or {@code *} for the whole row or upload
 * @param message what is wrong, for a person to fix
 */
public record RowProblem(int row, String field, String message) {

  /** Requires a non-negative row and non-blank text. */
  public RowProblem {
    if (row < 0) {
      throw new IllegalArgumentException("row must be >= 0, was " + row);
    }
    if (field.isBlank() || message.isBlank()) {
      throw new IllegalArgumentException("field and message must not be blank");
    }
  }
}
