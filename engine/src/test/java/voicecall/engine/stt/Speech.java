package voicecall.engine.stt;

import java.time.Duration;
import java.util.SplittableRandom;
import reactor.core.publisher.Flux;
import voicecall.engine.audio.MuLaw;
import voicecall.engine.testspeech.Flite;
import voicecall.tts.audio.PcmAudio;

/** Caller speech for tests: flite voices, brought to the telephone band (8 kHz, µ-law). */
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
    PcmAudio speech = flite(voice, text).resampleTo(8000);
    PcmAudio pad = PcmAudio.silence(Duration.ofMillis(250), 8000);
    short[] samples = pad.append(speech).append(pad).samples();
    double noiseRms =
        Double.isInfinite(snrDb) ? 0 : Math.pow(10, (speech.rmsDbfs() - snrDb) / 20) * 32768;
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < samples.length; i++) {
      double noisy = samples[i] + noiseRms * gaussian(random);
      short clipped =
          (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(noisy)));
      samples[i] = MuLaw.decode(MuLaw.encode(clipped));
    }
    return PcmAudio.of(samples, 8000);
  }

  private static double gaussian(SplittableRandom random) {
    double u = 1 - random.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
  }

  static PcmAudio flite(String voice, String text) {
    return Flite.speak(voice, text).trimSilence(-50, Duration.ZERO);
  }

  /** 20 ms frames, as a telephone channel delivers them. */
  static Flux<PcmAudio> frames(PcmAudio audio) {
    return Flux.fromIterable(audio.frames(Duration.ofMillis(20)));
  }
}
