package voicecall.tts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Tests that need espeak-ng run when it is installed; without it they are reported as skipped,
 * except under {@code CI=true}, where a missing espeak-ng fails them ({@code .ci/run} installs it).
 */
final class EspeakInstalled {

  private static final boolean INSTALLED = EspeakSynthesizer.probe("espeak-ng");

  private EspeakInstalled() {}

  static void assume() {
    if ("true".equals(System.getenv("CI"))) {
      assertThat(INSTALLED)
          .as("espeak-ng must be installed in CI (apt-get install espeak-ng)")
          .isTrue();
    }
    assumeTrue(INSTALLED, "espeak-ng is not installed (apt-get install espeak-ng)");
  }
}
