package voicecall.tts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * Tests that need espeak-ng run when it is installed; without it they are reported as skipped,
 * except under {@code CI=true}, where a missing espeak-ng fails them ({@code .ci/run} installs it).
 */
final class EspeakInstalled {

  private static final boolean INSTALLED = probe();

  private EspeakInstalled() {}

  static void assume() {
    if ("true".equals(System.getenv("CI"))) {
      assertThat(INSTALLED)
          .as("espeak-ng must be installed in CI (apt-get install espeak-ng)")
          .isTrue();
    }
    assumeTrue(INSTALLED, "espeak-ng is not installed (apt-get install espeak-ng)");
  }

  private static boolean probe() {
    try {
      Process process = new ProcessBuilder("espeak-ng", "--version").start();
      process.getInputStream().readAllBytes();
      return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
