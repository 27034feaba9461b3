package voicecall.app.telephony;

/** Tone detection for tests: the power of one frequency in a block of 16-bit little-endian PCM. */
public final class Goertzel {

  private Goertzel() {}

  /**
   * Power of a frequency.
   *
   * @param pcm little-endian 16-bit samples
   * @param rate sample rate
   * @param freq the frequency in Hz
   * @return relative power
   */
  public static double power(byte[] pcm, int rate, double freq) {
    double coeff = 2 * Math.cos(2 * Math.PI * freq / rate);
    double s1 = 0;
    double s2 = 0;
    int n = pcm.length / 2;
    for (int i = 0; i < n; i++) {
      short x = (short) ((pcm[2 * i] & 0xFF) | (pcm[2 * i + 1] << 8));
      double s = x + coeff * s1 - s2;
      s2 = s1;
      s1 = s;
    }
    return (s1 * s1 + s2 * s2 - coeff * s1 * s2) / Math.max(n, 1);
  }
}
