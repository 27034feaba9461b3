package voicecall.engine.stt;

import org.jspecify.annotations.Nullable;

/**
 * A recognition that failed for a reason worth telling apart: in metrics, in logs and when choosing
 * whether a fallback should take over.
 */
public final class RecognitionException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Why recognition failed. */
  public enum Reason {
    /** The server did not answer within the timeout. */
    TIMEOUT,
    /** The server answered with an HTTP error status. */
    HTTP_STATUS,
    /** The server's answer was not the JSON expected. */
    MALFORMED_RESPONSE,
    /** The connection failed. */
    CONNECTION,
    /** Too many requests were in flight already, or every session of the recogniser is taken. */
    BUSY,
    /** The utterance was longer than allowed. */
    TOO_LONG,
    /** The audio cannot be recognised (rate, format). */
    BAD_AUDIO,
    /** The recogniser or session is closed. */
    CLOSED
  }

  private final Reason reason;

  /**
   * Creates the exception.
   *
   * @param reason why
   * @param message what happened, with the context a reader needs
   * @param cause the underlying error, if any
   */
  public RecognitionException(Reason reason, String message, @Nullable Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  /**
   * Why recognition failed.
   *
   * @return the reason
   */
  public Reason reason() {
    return reason;
  }
}
