package voicecall.app.calls;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import voicecall.engine.dialogue.Turn;

/**
 * One turn as recorded: what was heard, what was decided, and the latency marks.
 *
 * @param index 1 for the first turn of the call
 * @param heard the transcript (empty for a DTMF request), at most {@link #MAX_HEARD} characters
 * @param decision the knowledge decision's name ({@code ANSWER}, {@code CLARIFY}, {@code NONE},
 *     {@code HUMAN})
 * @param entryId the entry answered or offered, if any
 * @param score the knowledge decision's confidence, if the turn carried one
 * @param speechEnded when the end of speech was detected
 * @param recognised when the transcript was ready
 * @param decided when the decision was ready
 * @param firstAudio when the first reply frame was queued, if it was
 */
record TurnRecord(
    int index,
    String heard,
    String decision,
    @Nullable String entryId,
    @Nullable Double score,
    Instant speechEnded,
    Instant recognised,
    Instant decided,
    @Nullable Instant firstAudio) {

  /** Longest transcript kept (the column's size). */
  static final int MAX_HEARD = 1000;

  /** Requires a positive index and cuts an overlong transcript to the column's size. */
  TurnRecord {
    if (index < 1) {
      throw new IllegalArgumentException("turn index must be at least 1, was " + index);
    }
    Objects.requireNonNull(decision, "decision");
    Objects.requireNonNull(speechEnded, "speechEnded");
    Objects.requireNonNull(recognised, "recognised");
    Objects.requireNonNull(decided, "decided");
    heard = heard.length() > MAX_HEARD ? heard.substring(0, MAX_HEARD) : heard;
  }

  /**
   * The record of an engine turn.
   *
   * @param turn the turn the conversation reported
   * @return its record
   */
  static TurnRecord of(Turn turn) {
    return new TurnRecord(
        turn.index(),
        turn.heard(),
        turn.decision().name(),
        turn.entryId(),
        turn.score(),
        turn.speechEnded(),
        turn.recognised(),
        turn.decided(),
        turn.firstFrameQueued());
  }

  /** Returns end of speech to first reply frame in milliseconds, or null without a reply frame. */
  @Nullable Long voiceToVoiceMillis() {
    return firstAudio == null ? null : Duration.between(speechEnded, firstAudio).toMillis();
  }
}
