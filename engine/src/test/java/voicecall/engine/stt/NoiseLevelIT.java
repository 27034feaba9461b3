package voicecall.engine.stt;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import voicecall.tts.audio.PcmAudio;

/**
 * The noise level the recogniser's model choice reads ({@link NoiseSuppressor#noiseLevelDb()} after
 * {@link PocketSphinxRecognizer#NOISE_DECISION_AFTER} of an utterance, a call's first) on the lines
 * the threshold must tell apart: flite speech in the telephone band clean, on quiet lines with
 * faint hiss, and with white, pink and babble noise. Prints the spread of each and checks that the
 * default threshold puts clean and quiet lines on the plain model and white noise at 20 dB SNR or
 * worse on the noise-adapted model.
 */
class NoiseLevelIT {

  private static final int UTTERANCES = 40;
  private static final double THRESHOLD = PocketSphinxRecognizer.Settings.DEFAULT_NOISY_LINE_DBFS;

  @BeforeAll
  static void tools() {
    SpeechToolsInstalled.assume();
  }

  private interface Line {
    PcmAudio speak(String voice, String text, long seed);
  }

  /** The level read on {@link #UTTERANCES} questions of the evaluation set, sorted. */
  private static double[] levels(String label, Line line) {
    List<Double> out = new ArrayList<>();
    int n = 0;
    for (EvalSet.Query q : EvalSet.queries("en")) {
      if (n == UTTERANCES) {
        break;
      }
      String voice = Speech.VOICES[n % Speech.VOICES.length];
      out.add(levelAtDecision(line.speak(voice, q.text(), 500_000L + n)));
      n++;
    }
    double[] sorted = out.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    System.out.printf(
        Locale.ROOT,
        "[noise level] %-28s min %6.1f  median %6.1f  max %6.1f dBFS%n",
        label,
        sorted[0],
        sorted[sorted.length / 2],
        sorted[sorted.length - 1]);
    return sorted;
  }

  /** What a session reads when it picks the model for a call's first utterance. */
  static double levelAtDecision(PcmAudio audio) {
    NoiseSuppressor suppressor = new NoiseSuppressor();
    PocketSphinxRecognizer.Input input = new PocketSphinxRecognizer.Input(suppressor);
    Duration heard = Duration.ZERO;
    for (PcmAudio frame : audio.frames(Duration.ofMillis(20))) {
      input.to16k(frame);
      heard = heard.plus(frame.duration());
      if (heard.compareTo(PocketSphinxRecognizer.NOISE_DECISION_AFTER) >= 0) {
        break;
      }
    }
    return suppressor.noiseLevelDb();
  }

  @Test
  void cleanAndQuietLinesStayUnderTheThresholdNoisyOnesReachIt() {
    double[] clean = levels("clean", (v, t, s) -> Speech.telephone(v, t));
    double[] hiss66 =
        levels("quiet line, hiss -66 dBFS", (v, t, s) -> Speech.quietLine(v, t, -66, s));
    double[] hiss60 =
        levels("quiet line, hiss -60 dBFS", (v, t, s) -> Speech.quietLine(v, t, -60, s));
    double[] white25 = levels("white 25 dB", (v, t, s) -> Speech.telephone(v, t, 25, s));
    double[] white20 = levels("white 20 dB", (v, t, s) -> Speech.telephone(v, t, 20, s));
    double[] white15 = levels("white 15 dB", (v, t, s) -> Speech.telephone(v, t, 15, s));
    double[] white10 = levels("white 10 dB", (v, t, s) -> Speech.telephone(v, t, 10, s));
    double[] pink15 =
        levels("pink 15 dB", (v, t, s) -> Speech.telephone(v, t, 15, s, Speech.Noise.PINK));
    double[] babble15 =
        levels("babble 15 dB", (v, t, s) -> Speech.telephone(v, t, 15, s, Speech.Noise.BABBLE));
    System.out.printf(Locale.ROOT, "[noise level] threshold %.1f dBFS%n", THRESHOLD);

    for (double[] quiet : List.of(clean, hiss66, hiss60)) {
      assertThat(quiet[quiet.length - 1]).isLessThan(THRESHOLD);
    }
    // white noise 20 dB or more above the speech (the adaptation data), whatever the voice's level;
    // pink and babble noise (printed above) read lower, babble often under the threshold
    for (double[] noisy : List.of(white20, white15, white10)) {
      assertThat(noisy[0]).as(Arrays.toString(noisy)).isGreaterThanOrEqualTo(THRESHOLD);
    }
    // louder noise reads louder
    assertThat(white10[white10.length / 2]).isGreaterThan(white15[white15.length / 2]);
    assertThat(white15[white15.length / 2]).isGreaterThan(white20[white20.length / 2]);
    assertThat(white20[white20.length / 2]).isGreaterThan(white25[white25.length / 2]);
  }
}
