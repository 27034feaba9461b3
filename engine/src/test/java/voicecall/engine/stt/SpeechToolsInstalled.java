package voicecall.engine.stt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import voicecall.engine.testspeech.Flite;

/**
 * Tests that recognise flite speech run when flite, PocketSphinx and its English model are
 * installed; without them they are skipped, except under {@code CI=true}, where they fail ({@code
 * .ci/run} installs all three).
 */
final class SpeechToolsInstalled {

  private static final boolean SPHINX =
      PocketSphinxNative.available()
          && Files.isDirectory(PocketSphinxRecognizer.SYSTEM_MODEL.resolve("en-us"));

  private SpeechToolsInstalled() {}

  static void assume() {
    String hint = "apt-get install flite libpocketsphinx3 pocketsphinx-en-us";
    if ("true".equals(System.getenv("CI"))) {
      assertThat(Flite.installed() && SPHINX)
          .as("flite and PocketSphinx must be installed in CI: " + hint)
          .isTrue();
    }
    assumeTrue(
        Flite.installed() && SPHINX, "flite or PocketSphinx is not installed (" + hint + ")");
  }
}
