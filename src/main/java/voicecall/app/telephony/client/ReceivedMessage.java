package voicecall.app.telephony.client;

import voicecall.app.telephony.audiosocket.AudioSocketMessage;

/**
 * One message the caller received, with when it arrived.
 *
 * @param atNanos {@link System#nanoTime()} at arrival
 * @param message what arrived
 */
public record ReceivedMessage(long atNanos, AudioSocketMessage message) {

  /** Returns whether this is audio with at least one non-zero sample. */
  public boolean isAudible() {
    if (message instanceof AudioSocketMessage.Audio a) {
      for (byte x : a.pcm()) {
        if (x != 0) {
          return true;
        }
      }
    }
    return false;
  }
}
