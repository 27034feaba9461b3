package voicecall.engine.vad;

/** Voice activity inference or model loading failed. */
public final class VadException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * An exception with its cause.
   *
   * @param message what failed, with context
   * @param cause the underlying error
   */
  public VadException(String message, Throwable cause) {
    super(message, cause);
  }
}
