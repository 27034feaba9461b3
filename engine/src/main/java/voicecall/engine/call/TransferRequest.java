package voicecall.engine.call;

import org.jspecify.annotations.Nullable;

/**
 * The dialogue's request to hand a caller to a person, with what the agent should see. The adapter
 * that owns the call decides where the caller goes and whether that is allowed; this only says why
 * and with which context.
 *
 * @param callId the call's id (the AudioSocket UUID)
 * @param question the caller's last question as recognised, empty when there was none (e.g. the
 *     caller pressed 0 before saying anything)
 * @param entryId the knowledge entry that came closest, or null when there was none
 * @param reason why the dialogue gave up on answering
 */
public record TransferRequest(
    String callId, String question, @Nullable String entryId, Reason reason) {

  /** Why the caller is transferred. */
  public enum Reason {
    /** The caller asked for a person in words (the knowledge decision was HUMAN). */
    ASKED_FOR_HUMAN,
    /** The caller pressed 0. */
    PRESSED_ZERO,
    /** The engine did not understand the caller often enough. */
    NOT_UNDERSTOOD
  }

  /** Rejects a blank call id and a blank entry id. */
  public TransferRequest {
    if (callId.isBlank()) {
      throw new IllegalArgumentException("a transfer request needs the call id");
    }
    if (entryId != null && entryId.isBlank()) {
      throw new IllegalArgumentException("entry id must be null or not blank");
    }
  }
}
