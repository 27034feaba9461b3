package voicecall.engine.vad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * Tests that speak with flite run when it is installed; without it they are reported as skipped,
 * except under {@code CI=true}, where a missing flite fails them ({@code .ci/run} installs it).
 */
final class FliteInstalled {

  private static final boolean INSTALLED = probe();

  private FliteInstalled() {}

  private static boolean probe() {
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
    if ("true".equals(System.getenv("CI"))) {
      assertThat(INSTALLED).as("flite must be installed in CI (apt-get install flite)").isTrue();
    }
    assumeTrue(INSTALLED, "flite is not installed (apt-get install flite)");
  }
}
