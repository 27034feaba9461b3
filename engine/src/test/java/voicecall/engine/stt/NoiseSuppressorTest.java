package voicecall.engine.stt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NoiseSuppressorTest {

  private static final int RATE = 8000;

  @Test
  void givesBackAsManySamplesAsItGetsWhateverTheChunks() {
    NoiseSuppressor suppressor = new NoiseSuppressor();
    for (int[] chunks : new int[][] {{160, 160, 160, 7}, {1}, {100, 3, 1000}, {}, {256, 128}}) {
      int in = 0;
      int out = 0;
      for (int size : chunks) {
        in += size;
        out += suppressor.push(noise(size, 300, in)).length;
        assertThat(out).isLessThanOrEqualTo(in);
      }
      out += suppressor.flush().length;
      assertThat(out).as(Arrays.toString(chunks)).isEqualTo(in);
    }
  }

  @Test
  void loudSpeechLikeSoundInFaintNoiseComesOutAlmostUnchanged() {
    NoiseSuppressor suppressor = new NoiseSuppressor();
    short[] tone = syllables(2 * RATE, 440, 8000, RATE / 4);
    short[] signal = add(noise(2 * RATE, 30, 1), tone);
    short[] out = run(suppressor, signal, 160);
    double[] error = new double[signal.length];
    for (int i = 0; i < signal.length; i++) {
      error[i] = out[i] - tone[i];
    }
    // The output is aligned with the input (no delay left) and within 5 % of its level.
    assertThat(rms(error, RATE / 4, 2 * RATE - 400))
        .isLessThan(0.05 * rms(toDouble(tone), RATE / 4, 2 * RATE));
  }

  @Test
  void steadyNoiseIsPushedDownAndSpeechBandToneKept() {
    NoiseSuppressor suppressor = new NoiseSuppressor();
    int lead = RATE / 2;
    short[] noise = noise(3 * RATE, 1000, 7);
    short[] tone = syllables(3 * RATE, 700, 3000, lead);
    short[] out = run(suppressor, add(noise, tone), 160);

    double noiseIn = rms(toDouble(noise), RATE / 4, lead);
    double noiseOut = rms(toDouble(out), RATE / 4, lead);
    assertThat(20 * Math.log10(noiseOut / noiseIn)).isLessThan(-6);

    // With the tone on: the output is close to the tone alone (noise mostly gone).
    double[] residue = new double[out.length];
    for (int i = 0; i < out.length; i++) {
      residue[i] = out[i] - tone[i];
    }
    double before = rms(toDouble(noise), lead + RATE, 3 * RATE);
    double after = rms(residue, lead + RATE, 3 * RATE);
    assertThat(20 * Math.log10(after / before)).isLessThan(-3);
  }

  @Test
  void theNoiseEstimateCarriesOverToTheNextUtterance() {
    NoiseSuppressor suppressor = new NoiseSuppressor();
    run(suppressor, noise(RATE, 1000, 3), 160);
    // The next utterance is noise from its first frame: it is suppressed at once.
    short[] next = noise(RATE / 4, 1000, 4);
    short[] out = run(suppressor, next, 160);
    assertThat(rms(toDouble(out), 256, next.length))
        .isLessThan(0.5 * rms(toDouble(next), 256, next.length));

    // A fresh suppressor (a new call) has no estimate yet and passes the start through.
    short[] fresh = run(new NoiseSuppressor(), next, 160);
    assertThat(rms(toDouble(fresh), 0, 256)).isGreaterThan(0.5 * rms(toDouble(next), 0, 256));
  }

  @Test
  void digitalSilenceStaysSilent() {
    short[] out = run(new NoiseSuppressor(), new short[RATE], 160);
    assertThat(out).containsOnly((short) 0);
  }

  @Test
  void noiseLevelReadsTheLineNoiseInDecibelsOfFullScale() {
    NoiseSuppressor fresh = new NoiseSuppressor();
    assertThat(fresh.noiseLevelDb()).isEqualTo(Double.NEGATIVE_INFINITY);

    // white noise of RMS 1000 is 20·log10(1000 / 32768) = -30.3 dBFS; of RMS 10, -70.3 dBFS
    NoiseSuppressor loud = new NoiseSuppressor();
    run(loud, noise(RATE / 4, 1000, 11), 160);
    assertThat(loud.noiseLevelDb()).isCloseTo(-30.3, within(1.5));
    NoiseSuppressor faint = new NoiseSuppressor();
    run(faint, noise(RATE / 4, 10, 12), 160);
    assertThat(faint.noiseLevelDb()).isCloseTo(-70.3, within(1.5));

    NoiseSuppressor silent = new NoiseSuppressor();
    run(silent, new short[RATE / 4], 160);
    assertThat(silent.noiseLevelDb()).isLessThan(-100);
  }

  @Test
  void speechOnAQuietLineDoesNotRaiseTheNoiseLevel() {
    NoiseSuppressor suppressor = new NoiseSuppressor();
    int lead = RATE / 4;
    // loud syllables (about -15 dBFS) after a quarter second of faint line noise (-60.8 dBFS)
    run(suppressor, add(noise(3 * RATE, 30, 13), syllables(3 * RATE, 500, 8000, lead)), 160);
    assertThat(suppressor.noiseLevelDb()).isLessThan(-55);
  }

  private static short[] run(NoiseSuppressor suppressor, short[] signal, int chunk) {
    short[] out = new short[signal.length];
    int written = 0;
    for (int i = 0; i < signal.length; i += chunk) {
      short[] part =
          suppressor.push(Arrays.copyOfRange(signal, i, Math.min(signal.length, i + chunk)));
      System.arraycopy(part, 0, out, written, part.length);
      written += part.length;
    }
    short[] rest = suppressor.flush();
    System.arraycopy(rest, 0, out, written, rest.length);
    assertThat(written + rest.length).isEqualTo(signal.length);
    return out;
  }

  private static short[] noise(int n, double rms, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    short[] out = new short[n];
    for (int i = 0; i < n; i++) {
      double u = 1 - random.nextDouble();
      double g = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
      out[i] = (short) Math.round(rms * g);
    }
    return out;
  }

  private static short[] tone(int n, double hz, double amplitude) {
    short[] out = new short[n];
    for (int i = 0; i < n; i++) {
      out[i] = (short) Math.round(amplitude * Math.sin(2 * Math.PI * hz * i / RATE));
    }
    return out;
  }

  /**
   * A tone switched on and off four times a second (like syllables), silent before {@code lead}.
   */
  private static short[] syllables(int n, double hz, double amplitude, int lead) {
    short[] out = tone(n, hz, amplitude);
    for (int i = 0; i < n; i++) {
      double envelope = i < lead ? 0 : Math.max(0, Math.sin(2 * Math.PI * 4 * (i - lead) / RATE));
      out[i] = (short) Math.round(out[i] * envelope);
    }
    return out;
  }

  private static short[] add(short[] a, short[] b) {
    short[] out = new short[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, a[i] + b[i]));
    }
    return out;
  }

  private static double[] toDouble(short[] s) {
    double[] out = new double[s.length];
    for (int i = 0; i < s.length; i++) {
      out[i] = s[i];
    }
    return out;
  }

  private static double rms(double[] x, int from, int to) {
    double sum = 0;
    for (int i = from; i < to; i++) {
      sum += x[i] * x[i];
    }
    return Math.sqrt(sum / (to - from));
  }
}
