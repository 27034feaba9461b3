package voicecall.engine.call;

/** Why a call ended. */
public enum HangupCause {
  /** The caller hung up (Asterisk closed the socket or sent a hang-up). */
  CALLER,
  /** The engine ended the call on purpose (goodbye, transfer done). */
  ENGINE,
  /** The other side broke the protocol (malformed frame, garbage before the id). */
  PROTOCOL_ERROR,
  /** Something inside the engine failed for this call; other calls are not affected. */
  FAILURE,
  /** The engine is shutting down. */
  SHUTDOWN
}
