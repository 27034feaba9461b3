package voicecall.rag;

import java.util.List;
import java.util.stream.Collectors;

/** Uploaded knowledge was rejected; carries every problem found, not only the first. */
public final class InvalidKnowledgeException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  @SuppressWarnings("serial") // an immutable List.copyOf list of records
  private final List<RowProblem> problems;

  /**
   * Creates the exception.
   *
   * @param problems what is wrong; at least one
   */
  public InvalidKnowledgeException(List<RowProblem> problems) {
    super(summary(problems));
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("an invalid upload has at least one problem");
    }
    this.problems = List.copyOf(problems);
  }

  /**
   * Every problem found, in row order.
   *
   * @return the problems
   */
  public List<RowProblem> problems() {
    return problems;
  }

  private static String summary(List<RowProblem> problems) {
    return problems.size()
        + " problem(s): "
        + problems.stream()
            .limit(5)
            .map(p -> "row " + p.row() + " " + p.field() + ": " + p.message())
            .collect(Collectors.joining("; "));
  }
}
