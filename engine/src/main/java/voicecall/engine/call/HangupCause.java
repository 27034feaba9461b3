package voicecall.engine.call;

/** Why a call ended. */
public enum HangupCause {
  /** The caller hung up (Asterisk closed the socket or sent a hang-up). */
  CALLER,
  /** The engine ended the call on purpose (goodbye). */
  ENGINE,
  /**
   * The engine handed the caller to a person: the media leg ends and the adapter that owns the call
   * moves the caller on ({@link Call#transferRequested()} says where to and why).
   */
  TRANSFER,
  /** The other side broke the protocol (malformed frame, garbage before the id). */
  PROTOCOL_ERROR,
  /** Something inside the engine failed for this call; other calls are not affected. */
  FAILURE,
  /** The engine is shutting down. */
  SHUTDOWN
}
