package voicecall.engine.stt;

import java.time.Duration;
import java.util.SplittableRandom;
import reactor.core.publisher.Flux;
import voicecall.engine.audio.MuLaw;
import voicecall.engine.testspeech.Festival;
import voicecall.engine.testspeech.Flite;
import voicecall.tts.audio.PcmAudio;

/**
 * Caller speech for tests: flite voices (and Festival's ked, a speaker held out of everything),
 * brought to the telephone band (8 kHz, µ-law).
 */
final class Speech {

  static final String[] VOICES = {"slt", "rms", "awb", "kal16"};

  private Speech() {}

  /** flite speech, trimmed, at 8 kHz after a µ-law encode/decode round trip. */
  static PcmAudio telephone(String voice, String text) {
    return telephone(voice, text, Double.POSITIVE_INFINITY, 0);
  }

  /**
   * flite speech, trimmed, padded with 250 ms of silence, with white noise {@code snrDb} below the
   * speech level over the whole signal (none for an infinite SNR), at 8 kHz after a µ-law
   * encode/decode round trip.
   */
  static PcmAudio telephone(String voice, String text, double snrDb, long seed) {
    return telephone(voice, text, snrDb, seed, Noise.WHITE);
  }

  /** Kinds of background noise added to the speech. */
  enum Noise {
    /** Gaussian white noise, flat over the band (what the adaptation data has). */
    WHITE,
    /** Pink noise (power falling 3 dB per octave): a held-out kind. */
    PINK,
    /** Several flite voices talking at once (sentences of their own): a held-out kind. */
    BABBLE
  }

  /**
   * Like {@link #telephone(String, String, double, long)} with noise of a given kind, its RMS
   * {@code snrDb} below the speech's over the whole signal.
   */
  static PcmAudio telephone(String voice, String text, double snrDb, long seed, Noise kind) {
    return telephone(flite(voice, text), snrDb, seed, kind);
  }

  /**
   * Like {@link #telephone(String, String, double, long, Noise)} for speech at any rate, e.g.
   * speed- perturbed.
   */
  static PcmAudio telephone(PcmAudio spoken, double snrDb, long seed, Noise kind) {
    PcmAudio speech = spoken.resampleTo(8000);
    return onTheLine(
        speech,
        Double.isInfinite(snrDb) ? Double.NEGATIVE_INFINITY : speech.rmsDbfs() - snrDb,
        seed,
        kind);
  }

  /**
   * flite speech, trimmed, padded with 250 ms of line noise on each side, with white line noise
   * (hiss) at a fixed level, {@code noiseDbfs} (RMS, dB of full scale), at 8 kHz µ-law.
   */
  static PcmAudio quietLine(String voice, String text, double noiseDbfs, long seed) {
    return onTheLine(flite(voice, text).resampleTo(8000), noiseDbfs, seed, Noise.WHITE);
  }

  private static PcmAudio onTheLine(PcmAudio speech, double noiseDbfs, long seed, Noise kind) {
    PcmAudio pad = PcmAudio.silence(Duration.ofMillis(250), 8000);
    short[] samples = pad.append(speech).append(pad).samples();
    double noiseRms = Math.pow(10, noiseDbfs / 20) * 32768;
    double[] noise = noise(kind, samples.length, new SplittableRandom(seed));
    for (int i = 0; i < samples.length; i++) {
      double noisy = samples[i] + noiseRms * noise[i];
      short clipped =
          (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(noisy)));
      samples[i] = MuLaw.decode(MuLaw.encode(clipped));
    }
    return PcmAudio.of(samples, 8000);
  }

  /** {@code n} samples of noise with an RMS of 1. */
  static double[] noise(Noise kind, int n, SplittableRandom random) {
    double[] out = new double[n];
    switch (kind) {
      case WHITE -> {
        for (int i = 0; i < n; i++) {
          out[i] = gaussian(random);
        }
      }
      case PINK -> {
        // White noise through three one-pole low-passes with spread corner frequencies, summed:
        // within about 1 dB of a -3 dB/octave slope over the telephone band.
        double a = 0;
        double b = 0;
        double c = 0;
        for (int i = 0; i < n; i++) {
          double w = gaussian(random);
          a = 0.99765 * a + 0.0990460 * w;
          b = 0.96300 * b + 0.2965164 * w;
          c = 0.57000 * c + 1.0526913 * w;
          out[i] = a + b + c + 0.1848 * w;
        }
      }
      case BABBLE -> {
        double[] track = Babble.TRACK;
        int start = random.nextInt(track.length);
        for (int i = 0; i < n; i++) {
          out[i] = track[(start + i) % track.length];
        }
      }
    }
    double sum = 0;
    for (double v : out) {
      sum += v * v;
    }
    double rms = Math.sqrt(sum / Math.max(1, n));
    for (int i = 0; i < n; i++) {
      out[i] = rms == 0 ? 0 : out[i] / rms;
    }
    return out;
  }

  /** Four voices, each saying sentences of its own, laid over each other (built once). */
  private static final class Babble {
    private static final String[] LINES = {
      "the weather was lovely at the seaside and we stayed until the evening",
      "she bought some apples and a loaf of bread at the market on the corner",
      "our meeting moved to the large room on the third floor after lunch",
      "the children played football in the park while their parents talked",
      "he painted the fence green and then forgot to close the garden gate",
      "we watched a film about a famous explorer who crossed the frozen north",
      "the train was late again so I walked along the river to the office",
      "my aunt grows tomatoes and beans in a little plot behind her house"
    };
    static final double[] TRACK = build();

    private static double[] build() {
      double[][] voices = new double[VOICES.length][];
      int length = Integer.MAX_VALUE;
      for (int v = 0; v < VOICES.length; v++) {
        StringBuilder text = new StringBuilder();
        for (int k = 0; k < LINES.length; k += 1) {
          text.append(LINES[(k + 2 * v) % LINES.length]).append(". ");
        }
        short[] s = flite(VOICES[v], text.toString()).resampleTo(8000).samples();
        double[] d = new double[s.length];
        double sum = 0;
        for (int i = 0; i < s.length; i++) {
          d[i] = s[i];
          sum += d[i] * d[i];
        }
        double rms = Math.sqrt(sum / s.length);
        for (int i = 0; i < s.length; i++) {
          d[i] /= rms;
        }
        voices[v] = d;
        length = Math.min(length, d.length);
      }
      double[] mix = new double[length];
      for (int v = 0; v < voices.length; v++) {
        // each voice starts at its own point, so pauses do not line up
        int offset = v * length / voices.length;
        for (int i = 0; i < length; i++) {
          mix[i] += voices[v][(i + offset) % length];
        }
      }
      return mix;
    }
  }

  private static double gaussian(SplittableRandom random) {
    double u = 1 - random.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
  }

  /** The text spoken by a flite voice, or by Festival's ked ({@link Festival#KED}), trimmed. */
  static PcmAudio flite(String voice, String text) {
    return flite(voice, text, 1.0);
  }

  /**
   * Like {@link #flite(String, String)} at another rate: {@code stretch} times the voice's own
   * duration.
   */
  static PcmAudio flite(String voice, String text, double stretch) {
    PcmAudio spoken =
        Festival.KED.equals(voice)
            ? Festival.speak(text, stretch)
            : Flite.speak(voice, text, stretch);
    return spoken.trimSilence(-50, Duration.ZERO);
  }

  /** 20 ms frames, as a telephone channel delivers them. */
  static Flux<PcmAudio> frames(PcmAudio audio) {
    return Flux.fromIterable(audio.frames(Duration.ofMillis(20)));
  }
}
