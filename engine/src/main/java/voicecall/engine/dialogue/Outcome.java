package voicecall.engine.dialogue;

/** How a conversation ended. */
public enum Outcome {
  /** The caller hung up (or the line dropped). */
  HUNG_UP,
  /** The engine said the transfer prompt and hung up so a person can take over. */
  TRANSFER
}
