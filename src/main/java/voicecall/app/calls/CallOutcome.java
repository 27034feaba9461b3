package voicecall.app.calls;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import voicecall.engine.call.HangupCause;

/** How a call ended, as the records and the insight endpoints name it. */
enum CallOutcome {
  /** At least one question was answered and the call was not transferred. */
  ANSWERED,
  /** The caller asked for a person, or the conversation handed the call over. */
  TRANSFERRED,
  /** The caller left without an answer and without an error. */
  ABANDONED,
  /** The call failed inside the engine or broke the protocol. */
  ERROR;

  /** Returns the name used in the API, the database and meter tags. */
  String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Reads the API name.
   *
   * @param text e.g. {@code answered}
   * @return the outcome, if the name is known
   */
  static Optional<CallOutcome> parse(String text) {
    for (CallOutcome o : values()) {
      if (o.wire().equalsIgnoreCase(text.strip())) {
        return Optional.of(o);
      }
    }
    return Optional.empty();
  }

  /**
   * Derives a call's outcome: transferred (the call ended with {@code TRANSFER}, or a turn asked
   * for a person) wins over answered, answered over an error, and a call with none of these was
   * abandoned.
   *
   * @param turns the call's turns
   * @param cause why the call ended
   * @return the outcome
   */
  static CallOutcome of(List<TurnRecord> turns, HangupCause cause) {
    if (cause == HangupCause.TRANSFER
        || turns.stream().anyMatch(t -> "HUMAN".equals(t.decision()))) {
      return TRANSFERRED;
    }
    if (turns.stream().anyMatch(t -> "ANSWER".equals(t.decision()))) {
      return ANSWERED;
    }
    if (cause == HangupCause.FAILURE || cause == HangupCause.PROTOCOL_ERROR) {
      return ERROR;
    }
    return ABANDONED;
  }
}
