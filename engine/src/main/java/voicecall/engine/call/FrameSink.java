package voicecall.engine.call;

import voicecall.engine.audio.AudioFrame;

/**
 * Where the frame clock puts a call's outbound frames: the telephony adapter's side of a call. It
 * is called on the clock's thread and must not block.
 */
@FunctionalInterface
public interface FrameSink {

  /**
   * Hands one 20 ms frame to the transport.
   *
   * @param frame the frame to send now
   * @return false when the transport could not take it (e.g. the peer stopped reading and too many
   *     frames are in flight); the frame is then dropped, because late audio is worse than lost
   *     audio on a live call
   */
  boolean send(AudioFrame frame);
}
