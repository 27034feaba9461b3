package voicecall.engine.vad;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import reactor.core.publisher.Flux;
import voicecall.engine.testspeech.Flite;
import voicecall.tts.audio.PcmAudio;

/**
 * Test signals: speech from flite (voices built from real recordings), noise, DTMF, silence, and
 * mixing at a chosen signal-to-noise ratio.
 */
final class TestAudio {

  private TestAudio() {}

  /** Speech from flite at its own rate, resampled to {@code rate}, leading/trailing silence cut. */
  static PcmAudio speak(String voice, String text, int rate) {
    return Flite.speak(voice, text).resampleTo(rate).trimSilence(-50, Duration.ZERO);
  }

  static PcmAudio silence(int millis, int rate) {
    return PcmAudio.silence(Duration.ofMillis(millis), rate);
  }

  static PcmAudio join(PcmAudio... parts) {
    PcmAudio out = parts[0];
    for (int i = 1; i < parts.length; i++) {
      out = out.append(parts[i]);
    }
    return out;
  }

  /** White noise at a level in dBFS (RMS). */
  static PcmAudio whiteNoise(int millis, int rate, double dbfs, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    double[] noise = new double[millis * rate / 1000];
    for (int i = 0; i < noise.length; i++) {
      noise[i] = random.nextDouble() * 2 - 1;
    }
    return scaled(noise, rate, dbfs);
  }

  /** Pink (1/f) noise by Paul Kellet's economy filter over white noise, at a level in dBFS. */
  static PcmAudio pinkNoise(int millis, int rate, double dbfs, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    double[] noise = new double[millis * rate / 1000];
    double b0 = 0;
    double b1 = 0;
    double b2 = 0;
    for (int i = 0; i < noise.length; i++) {
      double white = random.nextDouble() * 2 - 1;
      b0 = 0.99765 * b0 + white * 0.0990460;
      b1 = 0.96300 * b1 + white * 0.2965164;
      b2 = 0.57000 * b2 + white * 1.0526913;
      noise[i] = b0 + b1 + b2 + white * 0.1848;
    }
    return scaled(noise, rate, dbfs);
  }

  private static PcmAudio scaled(double[] signal, int rate, double dbfs) {
    double sum = 0;
    for (double v : signal) {
      sum += v * v;
    }
    double gain = Math.pow(10, dbfs / 20) / Math.sqrt(sum / signal.length) * 32768;
    short[] out = new short[signal.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = clip(signal[i] * gain);
    }
    return PcmAudio.of(out, rate);
  }

  /** Adds noise to the whole signal at {@code snrDb} below the level of {@code speechLevel}. */
  static PcmAudio addNoise(PcmAudio signal, PcmAudio noise, double speechDbfs, double snrDb) {
    double gain = Math.pow(10, (speechDbfs - snrDb - noise.rmsDbfs()) / 20);
    short[] out = new short[signal.length()];
    for (int i = 0; i < out.length; i++) {
      out[i] = clip(signal.sample(i) + gain * noise.sample(i % noise.length()));
    }
    return PcmAudio.of(out, signal.sampleRate());
  }

  /** DTMF digits: each tone {@code toneMs} long, {@code gapMs} of silence after it, -10 dBFS. */
  static PcmAudio dtmf(String digits, int toneMs, int gapMs, int rate) {
    String keys = "123A456B789C*0#D";
    double[] rows = {697, 770, 852, 941};
    double[] columns = {1209, 1336, 1477, 1633};
    PcmAudio out = PcmAudio.silence(Duration.ZERO, rate);
    for (char digit : digits.toCharArray()) {
      int key = keys.indexOf(digit);
      if (key < 0) {
        throw new IllegalArgumentException("not a DTMF key: " + digit);
      }
      short[] tone = new short[toneMs * rate / 1000];
      for (int i = 0; i < tone.length; i++) {
        double t = (double) i / rate;
        double v =
            Math.sin(2 * Math.PI * rows[key / 4] * t)
                + Math.sin(2 * Math.PI * columns[key % 4] * t);
        tone[i] = clip(v * 0.22 * 32767);
      }
      out = out.append(PcmAudio.of(tone, rate)).append(silence(gapMs, rate));
    }
    return out;
  }

  /** RMS level in dBFS of the audio, over windows louder than -50 dBFS only (active speech). */
  static double activeLevel(PcmAudio audio) {
    int window = audio.sampleRate() / 100;
    double sum = 0;
    long count = 0;
    for (int start = 0; start + window <= audio.length(); start += window) {
      double local = 0;
      for (int i = start; i < start + window; i++) {
        local += (double) audio.sample(i) * audio.sample(i);
      }
      if (10 * Math.log10(local / window / (32768.0 * 32768.0)) > -50) {
        sum += local;
        count += window;
      }
    }
    return 10 * Math.log10(sum / count / (32768.0 * 32768.0));
  }

  /** The audio cut into frames of the given sizes in samples, cycling through the sizes. */
  static Flux<PcmAudio> frames(PcmAudio audio, int... sizes) {
    short[] samples = audio.samples();
    List<PcmAudio> out = new ArrayList<>();
    int offset = 0;
    for (int n = 0; offset < samples.length; n++) {
      int size = Math.min(sizes[n % sizes.length], samples.length - offset);
      short[] frame = new short[size];
      System.arraycopy(samples, offset, frame, 0, size);
      out.add(PcmAudio.of(frame, audio.sampleRate()));
      offset += size;
    }
    return Flux.fromIterable(out);
  }

  static Duration millis(long millis) {
    return Duration.ofMillis(millis);
  }

  private static short clip(double v) {
    return (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(v)));
  }
}
