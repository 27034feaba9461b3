package voicecall.engine.call;

/**
 * What the frame clock reports, so the application can feed its metrics system without the engine
 * depending on one. Called on the clock's thread: implementations must be cheap and must not block.
 */
public interface ClockMetrics {

  /** Reports nothing. */
  ClockMetrics NONE =
      new ClockMetrics() {
        @Override
        public void tick(long latenessNanos, int activeCalls) {}

        @Override
        public void frameSent(boolean silence) {}

        @Override
        public void frameDropped() {}
      };

  /**
   * One tick ran (after the first).
   *
   * @param latenessNanos how far the time since the previous tick was from the period, never
   *     negative: the pacing jitter (not reported for the very first tick)
   * @param activeCalls calls served in this tick
   */
  void tick(long latenessNanos, int activeCalls);

  /**
   * A frame went to a call's transport.
   *
   * @param silence true when the call had nothing queued and got a silence frame
   */
  void frameSent(boolean silence);

  /** A call's transport refused a frame (stalled reader); the frame was dropped. */
  void frameDropped();
}
