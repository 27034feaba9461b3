package voicecall.engine.dialogue;

import java.util.Arrays;
import voicecall.engine.audio.AudioFrame;

/**
 * Tells a caller talking over a reply from the line's echo of that reply. It compares the level of
 * the caller's recent audio with the level of the reply's recent audio: an echo comes back well
 * below what was sent, a caller who wants to interrupt speaks at about the level of the line.
 * Inbound frames arrive on one thread at a time and outbound frames on another; each side publishes
 * its level through a volatile field.
 */
final class EchoGuard {

  /** Inbound frames averaged: 160 ms of 20 ms frames. */
  private static final int INBOUND_FRAMES = 8;

  /** Outbound frames averaged: 1 s, which covers the call's outbound queue. */
  private static final int OUTBOUND_FRAMES = 50;

  private static final double FLOOR = 1e-10;

  private final double marginDb;
  private final double[] inbound = new double[INBOUND_FRAMES];
  private final double[] outbound = new double[OUTBOUND_FRAMES];
  private int in;
  private int out;
  private volatile double inboundPower = FLOOR;
  private volatile double outboundPower = FLOOR;

  EchoGuard(double marginDb) {
    this.marginDb = marginDb;
  }

  /** Records a frame of the caller's audio. Called from one thread at a time. */
  void inbound(AudioFrame frame) {
    inbound[in++ % INBOUND_FRAMES] = power(frame.samples());
    inboundPower = mean(inbound, in);
  }

  /** Records a frame of the reply as it is queued. Called from one thread at a time. */
  void outbound(AudioFrame frame) {
    outbound[out++ % OUTBOUND_FRAMES] = power(frame.samples());
    outboundPower = mean(outbound, out);
  }

  /** Forgets the reply's level (a new reply starts). */
  void replyStarted() {
    Arrays.fill(outbound, 0);
    out = 0;
    outboundPower = FLOOR;
  }

  /**
   * Whether the caller's recent audio is loud enough, against the reply's, to be the caller.
   *
   * @return true when the inbound level is at most the margin below the outbound level
   */
  boolean callerOverReply() {
    return inboundLevelDb() >= outboundLevelDb() - marginDb;
  }

  /** The caller's recent level in dBFS. */
  double inboundLevelDb() {
    return 10 * Math.log10(Math.max(FLOOR, inboundPower));
  }

  /** The reply's recent level in dBFS. */
  double outboundLevelDb() {
    return 10 * Math.log10(Math.max(FLOOR, outboundPower));
  }

  private static double mean(double[] powers, int filled) {
    int n = Math.min(filled, powers.length);
    double sum = 0;
    for (int i = 0; i < n; i++) {
      sum += powers[i];
    }
    return n == 0 ? FLOOR : sum / n;
  }

  private static double power(short[] samples) {
    if (samples.length == 0) {
      return 0;
    }
    double sum = 0;
    for (short s : samples) {
      double x = s / 32768.0;
      sum += x * x;
    }
    return sum / samples.length;
  }
}
