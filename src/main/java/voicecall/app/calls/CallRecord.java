package voicecall.app.calls;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import voicecall.app.telephony.CallOrigin;

/**
 * A finished call as recorded.
 *
 * @param id our call id, which is also the AudioSocket UUID
 * @param origin the adapter and Asterisk channel ids
 * @param language the call's language tag
 * @param startedAt when the call connected
 * @param endedAt when it ended
 * @param hangupCause why it ended ({@code HangupCause} name)
 * @param outcome how it ended for the caller
 * @param turns its turns in order
 */
record CallRecord(
    String id,
    CallOrigin origin,
    String language,
    Instant startedAt,
    Instant endedAt,
    String hangupCause,
    CallOutcome outcome,
    List<TurnRecord> turns) {

  /** Longest Asterisk channel name kept (the column's size). */
  static final int MAX_CHANNEL = 200;

  /** Requires an id and times in order; cuts overlong Asterisk ids to their columns. */
  CallRecord {
    if (id.isBlank() || id.length() > 64) {
      throw new IllegalArgumentException("call id must be 1 to 64 characters: '" + id + "'");
    }
    Objects.requireNonNull(hangupCause, "hangupCause");
    Objects.requireNonNull(outcome, "outcome");
    if (endedAt.isBefore(startedAt)) {
      throw new IllegalArgumentException("call " + id + " ended before it started");
    }
    origin =
        new CallOrigin(
            cut(origin.adapter(), 16),
            cut(origin.channel(), MAX_CHANNEL),
            cut(origin.uniqueId(), 64));
    language = cut(language, 16);
    turns = List.copyOf(turns);
  }

  private static String cut(String s, int max) {
    return s.length() > max ? s.substring(0, max) : s;
  }
}
