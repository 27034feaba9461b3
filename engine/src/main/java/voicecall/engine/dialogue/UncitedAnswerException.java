package voicecall.engine.dialogue;

/** A phrased answer that does not begin by citing one of the entries it was given. */
public final class UncitedAnswerException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what the answer began with instead
   */
  public UncitedAnswerException(String message) {
    super(message);
  }
}
