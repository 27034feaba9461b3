package voicecall.engine.audio;

/**
 * Tones generated directly at the rate a call needs (no resampling): single or dual sine tones, the
 * DTMF pairs of ITU-T Q.23, and a short rising greeting chime. Each tone fades in and out over 5 ms
 * so it starts and stops without a click.
 */
public final class Tones {

  private static final String DTMF_KEYS = "123A456B789C*0#D";
  private static final int[] DTMF_LOW = {697, 770, 852, 941};
  private static final int[] DTMF_HIGH = {1209, 1336, 1477, 1633};

  private Tones() {}

  /**
   * A sum of sine tones, each at the given peak amplitude divided by the number of tones.
   *
   * @param sampleRate samples per second
   * @param durationMillis length in milliseconds
   * @param amplitude peak amplitude of the sum, 1..32767
   * @param frequencies the frequencies in Hz, each below half the sample rate
   * @return the samples
   */
  public static short[] sines(
      int sampleRate, int durationMillis, int amplitude, double... frequencies) {
    if (frequencies.length == 0) {
      throw new IllegalArgumentException("at least one frequency is needed");
    }
    if (amplitude < 1 || amplitude > Short.MAX_VALUE) {
      throw new IllegalArgumentException("amplitude must be 1..32767, was " + amplitude);
    }
    if (durationMillis <= 0 || sampleRate <= 0) {
      throw new IllegalArgumentException("duration and sample rate must be positive");
    }
    for (double f : frequencies) {
      if (f <= 0 || f >= sampleRate / 2.0) {
        throw new IllegalArgumentException(
            f + " Hz cannot be represented at " + sampleRate + " Hz sampling");
      }
    }
    int n = (int) ((long) sampleRate * durationMillis / 1000);
    int fade = Math.min(sampleRate / 200, n / 2);
    double each = (double) amplitude / frequencies.length;
    short[] out = new short[n];
    for (int i = 0; i < n; i++) {
      double v = 0;
      for (double f : frequencies) {
        v += Math.sin(2 * Math.PI * f * i / sampleRate);
      }
      double gain = Math.min(1.0, Math.min(i, n - 1 - i) / (double) Math.max(fade, 1));
      out[i] = (short) Math.round(v * each * gain);
    }
    return out;
  }

  /**
   * The DTMF tone of a key.
   *
   * @param key one of {@code 0-9 * # A-D}
   * @param sampleRate samples per second (at least 4000)
   * @param durationMillis length in milliseconds
   * @return the samples
   * @throws IllegalArgumentException for any other key
   */
  public static short[] dtmf(char key, int sampleRate, int durationMillis) {
    int index = DTMF_KEYS.indexOf(Character.toUpperCase(key));
    if (index < 0) {
      throw new IllegalArgumentException("'" + key + "' is not a DTMF key");
    }
    return sines(sampleRate, durationMillis, 16000, DTMF_LOW[index / 4], DTMF_HIGH[index % 4]);
  }

  /**
   * Whether a character is a DTMF key.
   *
   * @param key the character
   * @return true for {@code 0-9 * # A-D} (either case)
   */
  public static boolean isDtmfKey(char key) {
    return DTMF_KEYS.indexOf(Character.toUpperCase(key)) >= 0;
  }

  /**
   * A greeting chime: three rising notes (523, 659, 784 Hz) of 200 ms each.
   *
   * @param sampleRate samples per second
   * @return the samples, 600 ms long
   */
  public static short[] greeting(int sampleRate) {
    double[] notes = {523.25, 659.25, 783.99};
    int per = sampleRate / 5;
    short[] out = new short[per * notes.length];
    for (int i = 0; i < notes.length; i++) {
      System.arraycopy(sines(sampleRate, 200, 12000, notes[i]), 0, out, i * per, per);
    }
    return out;
  }
}
