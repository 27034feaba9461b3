package voicecall.engine.testspeech;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import voicecall.tts.audio.PcmAudio;
import voicecall.tts.audio.Wav;

/**
 * Speech from the flite command line (voices slt, rms, awb, kal16). Tests that speak run when flite
 * is installed; without it they are skipped, except under {@code CI=true}, where a missing flite
 * fails them ({@code .ci/run} installs it).
 */
public final class Flite {

  private static final boolean INSTALLED = probe();

  private Flite() {}

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
    try {
      Path wav = Files.createTempFile("flite", ".wav");
      try {
        Process process =
            new ProcessBuilder("flite", "-voice", voice, "-t", text, "-o", wav.toString())
                .redirectErrorStream(true)
                .start();
        byte[] log = process.getInputStream().readAllBytes();
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
          throw new IllegalStateException("flite failed: " + new String(log));
        }
        return Wav.decode(Files.readAllBytes(wav));
      } finally {
        Files.deleteIfExists(wav);
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
