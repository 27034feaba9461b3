package voicecall.engine.stt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;

/**
 * Tests that recognise flite speech run when flite, PocketSphinx and its English model are
 * installed; without them they are skipped, except under {@code CI=true}, where they fail ({@code
 * .ci/run} installs all three).
 */
final class SpeechToolsInstalled {

  private static final boolean FLITE = flite();
  private static final boolean SPHINX =
      PocketSphinxNative.available()
          && Files.isDirectory(PocketSphinxRecognizer.SYSTEM_MODEL.resolve("en-us"));

  private SpeechToolsInstalled() {}

  private static boolean flite() {
    try {
      Process process = new ProcessBuilder("flite", "-lv").redirectErrorStream(true).start();
      process.getInputStream().readAllBytes();
      return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  static void assume() {
    String hint = "apt-get install flite libpocketsphinx3 pocketsphinx-en-us";
    if ("true".equals(System.getenv("CI"))) {
      assertThat(FLITE && SPHINX)
          .as("flite and PocketSphinx must be installed in CI: " + hint)
          .isTrue();
    }
    assumeTrue(FLITE && SPHINX, "flite or PocketSphinx is not installed (" + hint + ")");
  }
}
