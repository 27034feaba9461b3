package voicecall.engine.dialogue;

/** How a conversation ended. */
public enum Outcome {
  /** The caller hung up (or the line dropped). */
  HUNG_UP,
  /** The engine said the transfer prompt and hung up so a person can take over. */
  TRANSFER,
  /** The caller said they were done; the engine said goodbye and hung up. */
  COMPLETED,
  /** The caller stayed silent after the re-prompt; the engine said goodbye and hung up. */
  TIMED_OUT,
  /** The call reached its maximum length; the engine said goodbye and hung up. */
  MAX_DURATION
}
