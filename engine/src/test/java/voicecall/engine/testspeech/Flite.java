package voicecall.engine.testspeech;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.Locale;
import voicecall.tts.audio.PcmAudio;

/**
 * Speech from the flite command line (voices slt, rms, awb, kal16). Tests that speak run when flite
 * is installed; without it they are skipped, except under {@code CI=true}, where a missing flite
 * fails them ({@code .ci/run} installs it).
 */
public final class Flite {

  private static final boolean INSTALLED = probe();

  private Flite() {}

  private static boolean probe() {
    return WavCommand.runs("flite", "-lv");
  }

  /**
   * Whether the flite command runs.
   *
   * @return true when installed
   */
  public static boolean installed() {
    return INSTALLED;
  }

  /** Skips the calling test without flite, or fails it under {@code CI=true}. */
  public static void assumeInstalled() {
    if ("true".equals(System.getenv("CI"))) {
      assertThat(INSTALLED).as("flite must be installed in CI (apt-get install flite)").isTrue();
    }
    assumeTrue(INSTALLED, "flite is not installed (apt-get install flite)");
  }

  /**
   * The text spoken by a voice, at flite's own rate, untrimmed.
   *
   * @param voice a flite voice name
   * @param text what to say
   * @return the audio
   */
  public static PcmAudio speak(String voice, String text) {
    return speak(voice, text, 1.0);
  }

  /**
   * The text spoken by a voice at another rate, untrimmed.
   *
   * @param voice a flite voice name
   * @param text what to say
   * @param stretch how much longer than flite's own rate the words last (0.85: 15 % faster)
   * @return the audio
   */
  public static PcmAudio speak(String voice, String text, double stretch) {
    return WavCommand.synthesise(
        List.of(
            "flite",
            "-voice",
            voice,
            "--setf",
            String.format(Locale.ROOT, "duration_stretch=%.3f", stretch),
            "-t",
            text,
            "-o"));
  }
}
