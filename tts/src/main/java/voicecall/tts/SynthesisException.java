package voicecall.tts;

/** Thrown (as a stream error) when text cannot be turned into speech. */
public final class SynthesisException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what went wrong, with the text and voice concerned
   */
  public SynthesisException(String message) {
    super(message);
  }

  /**
   * Creates the exception with its cause.
   *
   * @param message what went wrong, with the text and voice concerned
   * @param cause the underlying failure
   */
  public SynthesisException(String message, Throwable cause) {
    super(message, cause);
  }
}
