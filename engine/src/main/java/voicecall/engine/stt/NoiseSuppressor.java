package voicecall.engine.stt;

import java.util.Arrays;

/**
 * A streaming noise suppressor for one call's telephone-band audio (8 kHz), run before the decoder.
 *
 * <p>Short-time spectra of 32 ms (256 samples) every 16 ms, with a square-root Hann window for
 * analysis and synthesis, so that without suppression the output is the input delayed by 16 ms. The
 * noise spectrum is estimated per frequency bin with minima-controlled recursive averaging: the
 * smoothed power is compared with its minimum over the last second; where it is well above that
 * minimum, speech is likely and the noise estimate is held, elsewhere it follows the signal. Each
 * bin is then scaled by a Wiener gain from a decision-directed a-priori SNR, never below a floor,
 * which keeps a quiet, even residue of noise instead of "musical" tones.
 *
 * <p>One instance belongs to one call: the noise estimate carries over from one utterance to the
 * next, while the frame buffers start afresh with every utterance ({@link #flush()} ends one). The
 * first frames a call has heard initialise the noise estimate, so a call should start with the line
 * before speech (the VAD's pre-roll). Not thread-safe: its owner confines it to one thread.
 */
final class NoiseSuppressor {

  private static final int FRAME = 256;
  private static final int HOP = FRAME / 2;
  private static final int BINS = FRAME / 2 + 1;

  /**
   * Whole frames at the start of an utterance whose quietest gives the line's noise level: 11 hops
   * of 16 ms after the first (half-empty) frame, all within the first 200 ms.
   */
  static final int LEVEL_FRAMES = 11;

  /**
   * Which of those frames, quietest first, gives the level: the third, so that up to eight frames
   * of speech onset do not count, with less downward bias than the quietest alone (-1.9 dB on white
   * noise).
   */
  private static final int QUIET_RANK = 2;

  /** Frames (of a call) averaged for the first noise estimate: about 100 ms. */
  private static final int INIT_FRAMES = 6;

  /** Time smoothing of the power whose minimum is tracked. */
  private static final double ALPHA_S = 0.8;

  /** Frames per minimum-tracking window: about one second. */
  private static final int MIN_WINDOW = 62;

  /** Smoothed power this many times its minimum means speech. */
  private static final double PRESENCE_RATIO = 5;

  /** Smoothing of the speech-presence probability. */
  private static final double ALPHA_P = 0.2;

  /** Noise-estimate smoothing where no speech is present. */
  private static final double ALPHA_D = 0.95;

  /** Weight of the previous frame in the decision-directed a-priori SNR. */
  private static final double ALPHA_DD = 0.98;

  /**
   * The smallest gain, 0.4 (-8 dB): how far noise is pushed down. Deeper suppression hurts the
   * recogniser, whose model was trained on clean speech: 0.1 gave 78.6 % WER in white noise at 15
   * dB, 0.3 gave 73.2 %, 0.4 gave 69.6 %, 0.5 gave 70.4 % but 3.9 % wrong answers (without it: 74.1
   * %; STT-README.md).
   */
  private static final double FLOOR = 0.4;

  private static final double[] WINDOW = new double[FRAME];
  private static final double[] COS = new double[FRAME / 2];
  private static final double[] SIN = new double[FRAME / 2];

  static {
    for (int i = 0; i < FRAME; i++) {
      WINDOW[i] = Math.sqrt(0.5 - 0.5 * Math.cos(2 * Math.PI * i / FRAME));
    }
    for (int i = 0; i < FRAME / 2; i++) {
      COS[i] = Math.cos(2 * Math.PI * i / FRAME);
      SIN[i] = -Math.sin(2 * Math.PI * i / FRAME);
    }
  }

  // Per call.
  private final double[] noise = new double[BINS];
  private final double[] smoothed = new double[BINS];
  private final double[] minimum = new double[BINS];
  private final double[] windowMinimum = new double[BINS];
  private final double[] presence = new double[BINS];
  private long callFrames;

  private double callLevelDb = Double.NEGATIVE_INFINITY;

  // Per utterance.
  private int levelFrames;
  private final double[] frameLevels = new double[LEVEL_FRAMES];
  private final double[] history = new double[FRAME];
  private final double[] overlap = new double[FRAME];
  private final double[] previousClean = new double[BINS];
  private boolean hasPrevious;
  private int filled = FRAME - HOP;
  private long samplesIn;
  private long samplesOut;
  private int toSkip = FRAME - HOP;

  // Scratch.
  private final double[] re = new double[FRAME];
  private final double[] im = new double[FRAME];
  private final double[] power = new double[BINS];
  private final double[] smoothedPower = new double[BINS];

  /**
   * The line's noise level, in dB relative to full scale, read from the start of the utterance,
   * where a call's utterance has the VAD's pre-roll (256 ms before the speech starts): the third
   * lowest level of the utterance's first {@link #LEVEL_FRAMES} whole frames, each frame's level
   * being the median of its power spectrum over the band (DC and 4 kHz left out), scaled so that
   * white noise of RMS {@code r} reads about {@code 20·log10(r / 32768)}. A low frame and the
   * median bin, so a soft speech onset in the pre-roll and a few loud bins do not count. Before the
   * utterance has a whole frame, the level read in the call's previous utterance (carried across
   * the call); negative infinity before any. Digital silence reads far below -90.
   *
   * <p>Not the running noise estimate of the suppressor itself: that is good enough to suppress,
   * but over a call of many utterances, with little audio between them, its minimum tracking lets
   * some speech in, and clean calls drifted up to the level of noisy ones.
   */
  double noiseLevelDb() {
    return callLevelDb;
  }

  /** Starts a new utterance, dropping anything left of an unfinished one. */
  void reset() {
    levelFrames = 0;
    Arrays.fill(history, 0);
    Arrays.fill(overlap, 0);
    hasPrevious = false;
    filled = FRAME - HOP;
    samplesIn = 0;
    samplesOut = 0;
    toSkip = FRAME - HOP;
  }

  /**
   * Suppresses noise in more audio of the current utterance; returns what is ready (16 ms late).
   */
  short[] push(short[] samples) {
    short[] out = new short[(filled - (FRAME - HOP) + samples.length) / HOP * HOP];
    int written = 0;
    samplesIn += samples.length;
    for (short s : samples) {
      history[filled++] = s;
      if (filled == FRAME) {
        int before = written;
        written = frame(out, written, true);
        samplesOut += written - before;
      }
    }
    return written == out.length ? out : Arrays.copyOf(out, written);
  }

  /**
   * Ends the utterance: returns the rest of its audio, so that all pushes and the flush give as
   * many samples as were pushed, and readies the buffers for the next utterance.
   */
  short[] flush() {
    short[] out = new short[(int) Math.max(0, samplesIn - samplesOut)];
    int written = 0;
    while (samplesOut < samplesIn) {
      while (filled < FRAME) {
        history[filled++] = 0;
      }
      short[] chunk = new short[HOP];
      int take = (int) Math.min(frame(chunk, 0, false), samplesIn - samplesOut);
      System.arraycopy(chunk, 0, out, written, take);
      written += take;
      samplesOut += take;
    }
    reset();
    return written == out.length ? out : Arrays.copyOf(out, written);
  }

  /** Processes the full frame in {@code history}; writes up to one hop to {@code out}. */
  private int frame(short[] out, int at, boolean whole) {
    for (int i = 0; i < FRAME; i++) {
      re[i] = history[i] * WINDOW[i];
      im[i] = 0;
    }
    fft(re, im);
    for (int k = 0; k < BINS; k++) {
      power[k] = re[k] * re[k] + im[k] * im[k];
    }
    // The first frame of an utterance starts with zeros, the last ones end with them.
    if (whole && hasPrevious) {
      estimateNoise();
      if (levelFrames < LEVEL_FRAMES) {
        frameLevels[levelFrames++] = whiteNoiseVariance();
        double[] sorted = Arrays.copyOf(frameLevels, levelFrames);
        Arrays.sort(sorted);
        double quiet = sorted[Math.min(QUIET_RANK, levelFrames - 1)];
        callLevelDb = 10 * Math.log10(Math.max(quiet, 1e-12) / (32768.0 * 32768.0));
      }
    }
    for (int k = 0; k < BINS; k++) {
      double n = Math.max(noise[k], 1e-3);
      double posterior = power[k] / n;
      double prior =
          hasPrevious
              ? ALPHA_DD * previousClean[k] / n + (1 - ALPHA_DD) * Math.max(posterior - 1, 0)
              : Math.max(posterior - 1, 0);
      double gain = Math.max(prior / (1 + prior), FLOOR);
      previousClean[k] = gain * gain * power[k];
      re[k] *= gain;
      im[k] *= gain;
      if (k > 0 && k < FRAME / 2) {
        re[FRAME - k] = re[k];
        im[FRAME - k] = -im[k];
      }
    }
    hasPrevious = true;
    // Inverse transform via the forward one: conj(FFT(conj(X))) / N.
    for (int i = 0; i < FRAME; i++) {
      im[i] = -im[i];
    }
    fft(re, im);
    for (int i = 0; i < FRAME; i++) {
      overlap[i] += re[i] / FRAME * WINDOW[i];
    }
    int written = 0;
    for (int i = 0; i < HOP; i++) {
      if (toSkip > 0) {
        toSkip--;
        continue;
      }
      long v = Math.round(overlap[i]);
      out[at + written++] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, v));
    }
    System.arraycopy(overlap, HOP, overlap, 0, FRAME - HOP);
    Arrays.fill(overlap, FRAME - HOP, FRAME, 0);
    System.arraycopy(history, HOP, history, 0, FRAME - HOP);
    filled = FRAME - HOP;
    return at + written;
  }

  /**
   * The variance of the white noise whose periodogram has this frame's median over the band. A bin
   * of white noise of variance v has an exponentially distributed power of mean v times the
   * window's energy (the square-root Hann window's squares sum to FRAME / 2); its median is ln 2
   * times the mean.
   */
  private double whiteNoiseVariance() {
    double[] band = Arrays.copyOfRange(power, 1, BINS - 1);
    Arrays.sort(band);
    return band[band.length / 2] / Math.log(2) / (FRAME / 2.0);
  }

  /** Minima-controlled recursive averaging of the noise power, per bin. */
  private void estimateNoise() {
    for (int k = 0; k < BINS; k++) {
      double left = power[Math.max(k - 1, 0)];
      double right = power[Math.min(k + 1, BINS - 1)];
      smoothedPower[k] = 0.25 * left + 0.5 * power[k] + 0.25 * right;
    }
    long f = callFrames++;
    if (f < INIT_FRAMES) {
      for (int k = 0; k < BINS; k++) {
        noise[k] = (noise[k] * f + power[k]) / (f + 1);
        smoothed[k] = f == 0 ? smoothedPower[k] : smoothed[k];
        smoothed[k] = ALPHA_S * smoothed[k] + (1 - ALPHA_S) * smoothedPower[k];
        minimum[k] = f == 0 ? smoothed[k] : Math.min(minimum[k], smoothed[k]);
        windowMinimum[k] = minimum[k];
      }
      return;
    }
    boolean newWindow = f % MIN_WINDOW == 0;
    for (int k = 0; k < BINS; k++) {
      smoothed[k] = ALPHA_S * smoothed[k] + (1 - ALPHA_S) * smoothedPower[k];
      if (newWindow) {
        minimum[k] = Math.min(windowMinimum[k], smoothed[k]);
        windowMinimum[k] = smoothed[k];
      } else {
        minimum[k] = Math.min(minimum[k], smoothed[k]);
        windowMinimum[k] = Math.min(windowMinimum[k], smoothed[k]);
      }
      double speech = smoothed[k] > PRESENCE_RATIO * minimum[k] ? 1 : 0;
      presence[k] = ALPHA_P * presence[k] + (1 - ALPHA_P) * speech;
      double alpha = ALPHA_D + (1 - ALPHA_D) * presence[k];
      noise[k] = alpha * noise[k] + (1 - alpha) * power[k];
    }
  }

  /** In-place radix-2 complex FFT of length {@link #FRAME}. */
  private static void fft(double[] re, double[] im) {
    int n = re.length;
    for (int i = 1, j = 0; i < n; i++) {
      int bit = n >> 1;
      for (; (j & bit) != 0; bit >>= 1) {
        j ^= bit;
      }
      j ^= bit;
      if (i < j) {
        double t = re[i];
        re[i] = re[j];
        re[j] = t;
        t = im[i];
        im[i] = im[j];
        im[j] = t;
      }
    }
    for (int len = 2; len <= n; len <<= 1) {
      int step = n / len;
      for (int i = 0; i < n; i += len) {
        for (int j = 0; j < len / 2; j++) {
          double wr = COS[j * step];
          double wi = SIN[j * step];
          int a = i + j;
          int b = a + len / 2;
          double xr = re[b] * wr - im[b] * wi;
          double xi = re[b] * wi + im[b] * wr;
          re[b] = re[a] - xr;
          im[b] = im[a] - xi;
          re[a] += xr;
          im[a] += xi;
        }
      }
    }
  }
}
