package voicecall.tts.audio;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Band-limited sample-rate conversion between any two rates (e.g. 22050 → 8000, 16000 → 8000, 8000
 * → 16000): a polyphase windowed-sinc low-pass filter (Kaiser window) evaluated at each output
 * instant. The cut-off sits just below the lower Nyquist frequency, so content that would alias is
 * removed before decimation and images are removed after interpolation. Instances are immutable,
 * cached per rate pair and thread-safe.
 */
public final class Resampler {

  /** Fraction of the lower Nyquist frequency that passes. */
  private static final double PASSBAND = 0.9;

  /** Zero crossings of the sinc on each side: longer means a steeper transition. */
  private static final int ZERO_CROSSINGS = 24;

  /** Kaiser window shape: about 85 dB stop-band attenuation. */
  private static final double KAISER_BETA = 8.6;

  private static final Map<Long, Resampler> CACHE = new ConcurrentHashMap<>();

  private final int fromRate;
  private final int toRate;
  private final int up;
  private final int down;
  private final int halfTaps;
  private final float[][] phases;

  private Resampler(int fromRate, int toRate) {
    this.fromRate = fromRate;
    this.toRate = toRate;
    int gcd = gcd(fromRate, toRate);
    this.up = toRate / gcd;
    this.down = fromRate / gcd;
    // Cut-off as a fraction of the input rate.
    double cutoff = 0.5 * Math.min(1.0, (double) toRate / fromRate) * PASSBAND;
    this.halfTaps = (int) Math.ceil(ZERO_CROSSINGS / (2 * cutoff));
    this.phases = new float[up][2 * halfTaps];
    for (int phase = 0; phase < up; phase++) {
      double fraction = (double) phase / up;
      double sum = 0;
      double[] taps = new double[2 * halfTaps];
      for (int k = 0; k < taps.length; k++) {
        double t = (k - halfTaps + 1) - fraction;
        taps[k] = 2 * cutoff * sinc(2 * cutoff * t) * kaiser(t / halfTaps);
        sum += taps[k];
      }
      for (int k = 0; k < taps.length; k++) {
        phases[phase][k] = (float) (taps[k] / sum);
      }
    }
  }

  /**
   * The resampler between two rates.
   *
   * @param fromRate input samples per second
   * @param toRate output samples per second
   * @return the resampler (shared)
   */
  public static Resampler of(int fromRate, int toRate) {
    if (fromRate <= 0 || toRate <= 0) {
      throw new IllegalArgumentException(
          "sample rates must be positive, were " + fromRate + " and " + toRate);
    }
    return CACHE.computeIfAbsent(
        ((long) fromRate << 32) | toRate, key -> new Resampler(fromRate, toRate));
  }

  /**
   * Input rate.
   *
   * @return samples per second in
   */
  public int fromRate() {
    return fromRate;
  }

  /**
   * Output rate.
   *
   * @return samples per second out
   */
  public int toRate() {
    return toRate;
  }

  /**
   * Converts audio at {@link #fromRate()} to {@link #toRate()}.
   *
   * @param audio the input, at {@link #fromRate()}
   * @return the output, at {@link #toRate()}
   */
  public PcmAudio resample(PcmAudio audio) {
    if (audio.sampleRate() != fromRate) {
      throw new IllegalArgumentException(
          "resampler for " + fromRate + " Hz got " + audio.sampleRate() + " Hz audio");
    }
    return PcmAudio.owning(resample(audio.unsafeSamples()), toRate);
  }

  /**
   * Converts raw samples at {@link #fromRate()} to {@link #toRate()}.
   *
   * @param in samples at the input rate (not changed)
   * @return new samples at the output rate
   */
  public short[] resample(short[] in) {
    if (up == down) {
      return in.clone();
    }
    int outLength = (int) outputLength(in.length);
    short[] out = new short[outLength];
    for (int n = 0; n < outLength; n++) {
      out[n] = outputSample(n, in, 0, in.length);
    }
    return out;
  }

  /**
   * A stream for audio that arrives in pieces (e.g. 20 ms frames of a call): it keeps the filter's
   * history between pieces, so the output has no clicks at piece boundaries and equals {@link
   * #resample(short[])} of the whole signal. Output lags the input by half the filter length (about
   * 3.4 ms for 8 ↔ 16 kHz) until {@link ResamplingStream#flush()}.
   *
   * @return a new stream, for one audio stream at a time
   */
  public ResamplingStream stream() {
    return new ResamplingStream(this);
  }

  /** Output samples for {@code inputLength} input samples. */
  long outputLength(long inputLength) {
    return (inputLength * up + down - 1) / down;
  }

  /** Input index of the last sample output {@code n} needs. */
  long lastInputNeeded(long n) {
    return (n * down) / up + halfTaps;
  }

  /** Input index of the first sample output {@code n} needs. */
  long firstInputNeeded(long n) {
    return (n * down) / up - halfTaps + 1;
  }

  boolean isIdentity() {
    return up == down;
  }

  /**
   * Output sample {@code n}: {@code buffer[i]} holds input sample {@code bufferStart + i}, and
   * input samples outside {@code [bufferStart, end)} are zero.
   */
  short outputSample(long n, short[] buffer, long bufferStart, long end) {
    long position = n * down;
    long base = position / up;
    float[] taps = phases[(int) (position % up)];
    long first = base - halfTaps + 1;
    int kFrom = (int) Math.max(0, Math.max(-first, bufferStart - first));
    int kTo = (int) Math.min(taps.length, end - first);
    double acc = 0;
    for (int k = kFrom; k < kTo; k++) {
      acc += taps[k] * buffer[(int) (first + k - bufferStart)];
    }
    long rounded = Math.round(acc);
    return (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, rounded));
  }

  private static double sinc(double x) {
    if (Math.abs(x) < 1e-12) {
      return 1.0;
    }
    return Math.sin(Math.PI * x) / (Math.PI * x);
  }

  private static double kaiser(double x) {
    if (Math.abs(x) > 1) {
      return 0;
    }
    return besselI0(KAISER_BETA * Math.sqrt(1 - x * x)) / besselI0(KAISER_BETA);
  }

  private static double besselI0(double x) {
    double sum = 1;
    double term = 1;
    for (int k = 1; k < 50; k++) {
      term *= (x / (2 * k)) * (x / (2 * k));
      sum += term;
      if (term < 1e-12 * sum) {
        break;
      }
    }
    return sum;
  }

  private static int gcd(int a, int b) {
    return b == 0 ? a : gcd(b, a % b);
  }
}
