package voicecall.rag;

/** What to do with a caller's question. */
public enum Decision {
  /** One entry clearly answers it: speak its answer. */
  ANSWER,
  /** Two entries are about as likely, or the best one only partly fits: ask the caller again. */
  CLARIFY,
  /** Nothing relevant: say so rather than answer something wrong. */
  NONE,
  /** The caller asks for a person: hand the call to an agent. */
  HUMAN
}
