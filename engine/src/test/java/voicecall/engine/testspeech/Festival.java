package voicecall.engine.testspeech;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import voicecall.tts.audio.PcmAudio;

/**
 * Speech from Festival's {@code text2wave} with the ked diphone voice (Debian packages {@code
 * festival}, {@code festvox-kdlpc16k}): an American male speaker recorded for Festival, not one of
 * flite's four voices, so a speaker that nothing here was tuned or adapted on. Tests that use it
 * run when it is installed; without it they are skipped, except under {@code CI=true}, where it
 * must be there ({@code .ci/run} installs it).
 */
public final class Festival {

  /** The voice's name in these tests. */
  public static final String KED = "ked";

  private static final boolean INSTALLED = WavCommand.runs("festival", "-b", "(voice_ked_diphone)");

  private Festival() {}

  /**
   * Whether festival with the ked voice runs.
   *
   * @return true when installed
   */
  public static boolean installed() {
    return INSTALLED;
  }

  /** Skips the calling test without festival and ked, or fails it under {@code CI=true}. */
  public static void assumeInstalled() {
    String hint = "apt-get install festival festvox-kdlpc16k";
    if ("true".equals(System.getenv("CI"))) {
      assertThat(INSTALLED).as("festival with ked must be installed in CI (" + hint + ")").isTrue();
    }
    assumeTrue(INSTALLED, "festival with the ked voice is not installed (" + hint + ")");
  }

  /**
   * The text spoken by the ked voice at Festival's own rate, 16 kHz, untrimmed.
   *
   * @param text what to say
   * @return the audio
   */
  public static PcmAudio speak(String text) {
    return speak(text, 1.0);
  }

  /**
   * The text spoken by the ked voice at another rate, 16 kHz, untrimmed.
   *
   * @param text what to say
   * @param stretch how much longer than Festival's own rate the words last (0.85: 15 % faster)
   * @return the audio
   */
  public static PcmAudio speak(String text, double stretch) {
    try {
      Path input = Files.createTempFile("festival", ".txt");
      try {
        Files.writeString(input, text, StandardCharsets.UTF_8);
        return WavCommand.synthesise(
            List.of(
                "text2wave",
                input.toString(),
                "-eval",
                "(voice_ked_diphone)",
                "-eval",
                String.format(
                    Locale.ROOT,
                    "(Parameter.set 'Duration_Stretch (* %.3f (Parameter.get 'Duration_Stretch)))",
                    stretch),
                "-o"));
      } finally {
        Files.deleteIfExists(input);
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
