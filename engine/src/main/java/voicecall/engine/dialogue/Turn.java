package voicecall.engine.dialogue;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import voicecall.rag.Decision;

/**
 * One question and its reply, with latency marks read from the conversation's clock.
 *
 * @param index 1 for the first question of the call
 * @param heard the recognised text (empty for a DTMF request)
 * @param decision what the knowledge base decided ({@code HUMAN} for DTMF 0)
 * @param entryId the entry answered or offered, if any
 * @param score the knowledge decision's confidence, 0 to 1, if the turn had one (null for a key
 *     press that asked for a person)
 * @param reply the text spoken back
 * @param speechEnded when end of speech was detected (the segmenter's mark)
 * @param recognised when the transcript was ready
 * @param decided when the decision was ready
 * @param firstFrameQueued when the first reply frame was queued to the call, if it was
 */
public record Turn(
    int index,
    String heard,
    Decision decision,
    @Nullable String entryId,
    @Nullable Double score,
    String reply,
    Instant speechEnded,
    Instant recognised,
    Instant decided,
    @Nullable Instant firstFrameQueued) {

  /** Requires the marks in order. */
  public Turn {
    Objects.requireNonNull(heard, "heard");
    Objects.requireNonNull(decision, "decision");
    Objects.requireNonNull(reply, "reply");
    if (recognised.isBefore(speechEnded) || decided.isBefore(recognised)) {
      throw new IllegalArgumentException("latency marks out of order");
    }
    if (score != null && !(score >= 0 && score <= 1)) {
      throw new IllegalArgumentException("score must be in [0,1], was " + score);
    }
  }

  /**
   * A turn without a confidence.
   *
   * @param index 1 for the first question of the call
   * @param heard the recognised text (empty for a DTMF request)
   * @param decision what the knowledge base decided
   * @param entryId the entry answered or offered, if any
   * @param reply the text spoken back
   * @param speechEnded when end of speech was detected
   * @param recognised when the transcript was ready
   * @param decided when the decision was ready
   * @param firstFrameQueued when the first reply frame was queued to the call, if it was
   */
  public Turn(
      int index,
      String heard,
      Decision decision,
      @Nullable String entryId,
      String reply,
      Instant speechEnded,
      Instant recognised,
      Instant decided,
      @Nullable Instant firstFrameQueued) {
    this(
        index,
        heard,
        decision,
        entryId,
        null,
        reply,
        speechEnded,
        recognised,
        decided,
        firstFrameQueued);
  }

  /**
   * Voice to voice: from end of speech to the first reply frame queued.
   *
   * @return the duration, empty if no reply frame was queued
   */
  public Optional<Duration> voiceToVoice() {
    return firstFrameQueued == null
        ? Optional.empty()
        : Optional.of(Duration.between(speechEnded, firstFrameQueued));
  }
}
