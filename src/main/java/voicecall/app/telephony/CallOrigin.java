package voicecall.app.telephony;

import java.util.Objects;

/**
 * Where a call came from, as Asterisk names it, so operators can find the call in Asterisk's logs.
 * The AudioSocket UUID is the call's own id and is not repeated here.
 *
 * @param adapter {@code audiosocket}, {@code fastagi} or {@code ari}
 * @param channel the Asterisk channel (name for FastAGI, id for ARI); empty when unknown
 * @param uniqueId the channel's unique id; empty when unknown
 */
public record CallOrigin(String adapter, String channel, String uniqueId) {

  /** A call that reached the AudioSocket server without a control session announcing it. */
  public static final CallOrigin AUDIOSOCKET = new CallOrigin("audiosocket", "", "");

  /** Requires an adapter name. */
  public CallOrigin {
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(uniqueId, "uniqueId");
    if (adapter.isBlank()) {
      throw new IllegalArgumentException("adapter must not be blank");
    }
  }
}
